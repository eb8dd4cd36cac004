/* chart.c — draw one chart with cairo: data ranges, "nice" ticks, grid, series, title, axis
 * labels and a legend. Used by plot.c for every figure of `deepq plot`. */
#include "viz/chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const double PALETTE[10][3] = {
    {0.122, 0.467, 0.706}, {1.000, 0.498, 0.055}, {0.173, 0.627, 0.173}, {0.839, 0.153, 0.157},
    {0.580, 0.404, 0.741}, {0.549, 0.337, 0.294}, {0.890, 0.467, 0.761}, {0.498, 0.498, 0.498},
    {0.737, 0.741, 0.133}, {0.090, 0.745, 0.812},
};

void dq_chart_color(int i, double a, double rgba[4]) {
    const double *p = PALETTE[((i % 10) + 10) % 10];
    rgba[0] = p[0], rgba[1] = p[1], rgba[2] = p[2], rgba[3] = a;
}

ch_series *dq_chart_add(ch_chart *c, ch_kind kind, const char *label, const double *x, const double *y,
                  const double *y2, int n, const double rgba[4]) {
    if (c->n >= CH_MAX_SERIES) return NULL;
    ch_series *s = &c->s[c->n++];
    memset(s, 0, sizeof *s);
    s->kind = kind, s->label = label, s->x = x, s->y = y, s->y2 = y2, s->n = n;
    memcpy(s->rgba, rgba, sizeof s->rgba);
    return s;
}

/* Round a positive span to 1, 2, 2.5 or 5 times a power of ten (tick step). */
static double nice_step(double span, int target) {
    double raw = span / target;
    double p = pow(10.0, floor(log10(raw)));
    double f = raw / p;
    double m = f < 1.5 ? 1 : f < 2.25 ? 2 : f < 3.5 ? 2.5 : f < 7.5 ? 5 : 10;
    return m * p;
}

static void fmt_tick(char *buf, size_t cap, double v, double step) {
    if (fabs(v) < step * 1e-9) v = 0;
    double a = fabs(v);
    if (a >= 1e5 && fmod(a, 1000) == 0 && a < 1e9) {
        if (fmod(a, 1e6) == 0) snprintf(buf, cap, "%gM", v / 1e6);
        else snprintf(buf, cap, "%gk", v / 1e3);
    } else if (a >= 1e6 || (a > 0 && a < 1e-3)) {
        snprintf(buf, cap, "%.2g", v);
    } else {
        int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
        double f = step * pow(10, dec);
        if (fabs(f - round(f)) > 1e-6) dec++; /* 2.5, 0.25 */
        snprintf(buf, cap, "%.*f", dec, v);
    }
}

static void data_range(const ch_chart *c, double *xlo, double *xhi, double *ylo, double *yhi) {
    *xlo = *ylo = INFINITY;
    *xhi = *yhi = -INFINITY;
    for (int k = 0; k < c->n; k++) {
        const ch_series *s = &c->s[k];
        for (int i = 0; i < s->n; i++) {
            double x = s->x[i], y = s->y[i];
            if (!isfinite(x)) continue;
            *xlo = fmin(*xlo, x), *xhi = fmax(*xhi, x);
            if (s->kind == CH_BARS && s->y2) *xhi = fmax(*xhi, s->y2[i]);
            if (isfinite(y)) *ylo = fmin(*ylo, y), *yhi = fmax(*yhi, y);
            if (s->kind == CH_BAND && s->y2 && isfinite(s->y2[i]))
                *ylo = fmin(*ylo, s->y2[i]), *yhi = fmax(*yhi, s->y2[i]);
        }
        if (s->kind == CH_BARS) *ylo = fmin(*ylo, 0);
    }
    if (c->y_from_zero) *ylo = fmin(*ylo, 0), *yhi = fmax(*yhi, 0);
    if (!isfinite(*xlo)) *xlo = 0, *xhi = 1;
    if (!isfinite(*ylo)) *ylo = 0, *yhi = 1;
    if (*xhi - *xlo < 1e-12) *xlo -= 0.5, *xhi += 0.5;
    if (*yhi - *ylo < 1e-12) {
        double d = fabs(*ylo) > 0 ? fabs(*ylo) * 0.1 : 0.5;
        *ylo -= d, *yhi += d;
    }
}

static void text_at(cairo_t *cr, const char *s, double x, double y, double ax, double ay) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - e.x_bearing - ax * e.width, y - e.y_bearing - ay * e.height);
    cairo_show_text(cr, s);
}

void dq_chart_draw(cairo_t *cr, double x0, double y0, double w, double h, const ch_chart *c) {
    cairo_save(cr);
    cairo_rectangle(cr, x0, y0, w, h);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill(cr);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

    double xlo, xhi, ylo, yhi;
    data_range(c, &xlo, &xhi, &ylo, &yhi);
    double xs = nice_step(xhi - xlo, 6), ys = nice_step(yhi - ylo, 5);
    /* pad y by 5% (like matplotlib's margins) then snap to the tick grid when close */
    double pad = 0.05 * (yhi - ylo);
    double ylo_p = ylo - pad, yhi_p = yhi + pad;
    if (c->y_from_zero && ylo >= 0) ylo_p = 0;
    double xlo_p = xlo, xhi_p = xhi;

    /* plot area */
    double L = x0 + 78, R = x0 + w - 22, T = y0 + (c->note ? 58 : 44), B = y0 + h - 56;
    double pw = R - L, ph = B - T;
    #define PX(v) (L + ((v) - xlo_p) / (xhi_p - xlo_p) * pw)
    #define PY(v) (B - ((v) - ylo_p) / (yhi_p - ylo_p) * ph)

    /* grid + ticks */
    cairo_set_font_size(cr, 12);
    char buf[64];
    cairo_set_line_width(cr, 1);
    for (double t = ceil(ylo_p / ys) * ys; t <= yhi_p + 1e-9 * ys; t += ys) {
        double py = round(PY(t)) + 0.5;
        cairo_set_source_rgb(cr, 0.90, 0.90, 0.90);
        cairo_move_to(cr, L, py), cairo_line_to(cr, R, py), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        fmt_tick(buf, sizeof buf, t, ys);
        text_at(cr, buf, L - 7, py, 1.0, 0.5);
    }
    for (double t = ceil(xlo_p / xs) * xs; t <= xhi_p + 1e-9 * xs; t += xs) {
        double px = round(PX(t)) + 0.5;
        cairo_set_source_rgb(cr, 0.90, 0.90, 0.90);
        cairo_move_to(cr, px, T), cairo_line_to(cr, px, B), cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
        fmt_tick(buf, sizeof buf, t, xs);
        text_at(cr, buf, px, B + 7, 0.5, 0.0);
    }

    /* series, clipped to the plot area */
    cairo_save(cr);
    cairo_rectangle(cr, L, T, pw, ph);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int k = 0; k < c->n; k++) {
        const ch_series *s = &c->s[k];
        cairo_set_source_rgba(cr, s->rgba[0], s->rgba[1], s->rgba[2], s->rgba[3]);
        cairo_set_line_width(cr, s->width > 0 ? s->width : 1.6);
        if (s->dashed) {
            double d[2] = {7, 4};
            cairo_set_dash(cr, d, 2, 0);
        } else {
            cairo_set_dash(cr, NULL, 0, 0);
        }
        switch (s->kind) {
        case CH_LINE: {
            bool pen = false;
            for (int i = 0; i < s->n; i++) {
                if (!isfinite(s->x[i]) || !isfinite(s->y[i])) {
                    pen = false;
                    continue;
                }
                if (pen) cairo_line_to(cr, PX(s->x[i]), PY(s->y[i]));
                else cairo_move_to(cr, PX(s->x[i]), PY(s->y[i]));
                pen = true;
            }
            cairo_stroke(cr);
        } break;
        case CH_POINTS: {
            double r = s->width > 0 ? s->width : 1.8;
            for (int i = 0; i < s->n; i++) {
                if (!isfinite(s->x[i]) || !isfinite(s->y[i])) continue;
                cairo_new_sub_path(cr);
                cairo_arc(cr, PX(s->x[i]), PY(s->y[i]), r, 0, 2 * M_PI);
            }
            cairo_fill(cr);
        } break;
        case CH_BAND: {
            /* each run of finite points is one closed polygon: low forward, high backward */
            int i = 0;
            while (i < s->n) {
                while (i < s->n && !(isfinite(s->x[i]) && isfinite(s->y[i]) && isfinite(s->y2[i])))
                    i++;
                int a = i;
                while (i < s->n && isfinite(s->x[i]) && isfinite(s->y[i]) && isfinite(s->y2[i]))
                    i++;
                if (i - a < 1) continue;
                cairo_move_to(cr, PX(s->x[a]), PY(s->y[a]));
                for (int j = a + 1; j < i; j++) cairo_line_to(cr, PX(s->x[j]), PY(s->y[j]));
                for (int j = i - 1; j >= a; j--) cairo_line_to(cr, PX(s->x[j]), PY(s->y2[j]));
                cairo_close_path(cr);
                cairo_fill(cr);
            }
        } break;
        case CH_BARS:
            for (int i = 0; i < s->n; i++) {
                if (!isfinite(s->y[i])) continue;
                double xa = PX(s->x[i]), xb = PX(s->y2[i]);
                double ya = PY(fmax(0, s->y[i])), yb = PY(fmin(0, s->y[i]));
                cairo_rectangle(cr, xa + 0.5, ya, fmax(0.5, xb - xa - 1), yb - ya);
            }
            cairo_fill_preserve(cr);
            cairo_set_source_rgba(cr, s->rgba[0] * 0.7, s->rgba[1] * 0.7, s->rgba[2] * 0.7, 1);
            cairo_set_line_width(cr, 0.6);
            cairo_stroke(cr);
            break;
        }
    }
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_restore(cr);

    /* frame */
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, round(L) + 0.5, round(T) + 0.5, round(pw), round(ph));
    cairo_stroke(cr);

    /* title, note, axis labels */
    cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
    if (c->title) {
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
        cairo_set_font_size(cr, 15);
        text_at(cr, c->title, (L + R) / 2, y0 + 12, 0.5, 0.0);
        cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               CAIRO_FONT_WEIGHT_NORMAL);
    }
    cairo_set_font_size(cr, 12);
    if (c->note) {
        cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
        text_at(cr, c->note, (L + R) / 2, y0 + 34, 0.5, 0.0);
        cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
    }
    cairo_set_font_size(cr, 13);
    if (c->xlabel) text_at(cr, c->xlabel, (L + R) / 2, y0 + h - 8, 0.5, 1.0);
    if (c->ylabel) {
        cairo_save(cr);
        cairo_translate(cr, x0 + 14, (T + B) / 2);
        cairo_rotate(cr, -M_PI / 2);
        text_at(cr, c->ylabel, 0, 0, 0.5, 0.5);
        cairo_restore(cr);
    }

    /* legend in the upper-left corner of the plot area (bands before their line share a row
     * only if both are labelled; unlabelled series are skipped) */
    int nl = 0;
    double lw = 0;
    cairo_set_font_size(cr, 12);
    for (int k = 0; k < c->n; k++)
        if (c->s[k].label) {
            cairo_text_extents_t e;
            cairo_text_extents(cr, c->s[k].label, &e);
            lw = fmax(lw, e.x_advance);
            nl++;
        }
    if (nl > 0) {
        double lx = L + 10, ly = T + 10, rowh = 18, bw = lw + 46, bh = nl * rowh + 8;
        cairo_rectangle(cr, lx, ly, bw, bh);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_fill_preserve(cr);
        cairo_set_source_rgba(cr, 0.6, 0.6, 0.6, 0.9);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
        int row = 0;
        for (int k = 0; k < c->n; k++) {
            const ch_series *s = &c->s[k];
            if (!s->label) continue;
            double cy = ly + 4 + row * rowh + rowh / 2;
            cairo_set_source_rgba(cr, s->rgba[0], s->rgba[1], s->rgba[2],
                                  s->kind == CH_BAND ? fmax(s->rgba[3], 0.35) : 1.0);
            if (s->kind == CH_LINE) {
                cairo_set_line_width(cr, s->width > 0 ? s->width : 1.6);
                if (s->dashed) {
                    double d[2] = {6, 3};
                    cairo_set_dash(cr, d, 2, 0);
                }
                cairo_move_to(cr, lx + 6, cy), cairo_line_to(cr, lx + 32, cy), cairo_stroke(cr);
                cairo_set_dash(cr, NULL, 0, 0);
            } else if (s->kind == CH_POINTS) {
                cairo_arc(cr, lx + 19, cy, 3, 0, 2 * M_PI), cairo_fill(cr);
            } else {
                cairo_rectangle(cr, lx + 6, cy - 5, 26, 10), cairo_fill(cr);
            }
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            text_at(cr, s->label, lx + 38, cy, 0.0, 0.5);
            row++;
        }
    }
    #undef PX
    #undef PY
    cairo_restore(cr);
}
