/* chart.h — internal: one 2-D chart (axes, ticks, grid, title, legend) drawn with cairo.
 *
 * A chart is a list of series over borrowed arrays; dq_chart_draw lays it out inside a rectangle of
 * any cairo surface (PNG image or SVG), so the same code makes single figures and panels of a
 * summary grid. Nothing here allocates or keeps pointers after the call. */
#ifndef DQ_VIZ_CHART_H
#define DQ_VIZ_CHART_H

#include <cairo.h>
#include <stdbool.h>

typedef enum ch_kind {
    CH_LINE = 0,   /* polyline through (x[i], y[i]); NaN points break the line */
    CH_POINTS = 1, /* small dots at (x[i], y[i]) */
    CH_BAND = 2,   /* filled area between y[i] (low) and y2[i] (high) */
    CH_BARS = 3,   /* bars from 0 to y[i], spanning x[i] (left edge) .. y2[i] (right edge) */
} ch_kind;

typedef struct ch_series {
    ch_kind kind;
    const char *label; /* legend text; NULL = not in the legend */
    const double *x;   /* [n] */
    const double *y;   /* [n] */
    const double *y2;  /* [n] band high / bar right edge; NULL otherwise */
    int n;
    double rgba[4];
    double width;      /* line width in points (0 = 1.6) */
    bool dashed;
} ch_series;

#define CH_MAX_SERIES 48

typedef struct ch_chart {
    const char *title, *xlabel, *ylabel;
    ch_series s[CH_MAX_SERIES];
    int n;
    bool y_from_zero; /* include 0 in the y range (histograms) */
    const char *note; /* optional small text under the title (e.g. trend slope) */
} ch_chart;

/* Append a series (silently ignored when full); returns it for further edits or NULL. */
ch_series *dq_chart_add(ch_chart *c, ch_kind kind, const char *label, const double *x, const double *y,
                  const double *y2, int n, const double rgba[4]);

/* Draw the chart inside the rectangle (x0, y0, w, h) of cr, white background included. */
void dq_chart_draw(cairo_t *cr, double x0, double y0, double w, double h, const ch_chart *c);

/* The i-th colour of the palette (matplotlib's tab10 order), alpha a. */
void dq_chart_color(int i, double a, double rgba[4]);

#endif
