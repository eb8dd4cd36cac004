/* flappy.c — FlappyBird-v0 with the rules of the flappy-bird-gymnasium package (0.4.0):
 * gravity and flap, pipes scrolling at 4 px per frame with a random gap height, the
 * 12-feature observation or the 180-ray LIDAR one (use_lidar), and its rewards (+0.1 per frame
 * alive, +1 per pipe passed, -0.5 near an obstacle with LIDAR or above the screen, -1 on death).
 *
 * Collisions and LIDAR hits go through pygame's integer Rect semantics (coordinates truncated to
 * int, Cohen-Sutherland clipping on the pixel grid), reproduced in dq_flappy_clipline, so the
 * observations match the package's. The package draws the gap with np_random.integers(0, 8):
 * dq_env_rand_int here, so recorded draws replay the same pipes. */
#include <math.h>
#include <string.h>

#include "env/flappy.h"

static const char *const flappy_options[] = {"use_lidar", "normalize_obs", "pipe_gap", NULL};

static dq_status flappy_init(void *vst, const dq_kwargs *kw, dq_space *obs_space,
                             dq_space *act_space, dq_error *err) {
    dq_flappy_state *st = vst;
    st->use_lidar = true; /* the package's default */
    st->normalize_obs = true;
    int64_t gap = 100;
    dq_status s;
    if ((s = dq_kwargs_bool(kw, "use_lidar", &st->use_lidar, err))) return s;
    if ((s = dq_kwargs_bool(kw, "normalize_obs", &st->normalize_obs, err))) return s;
    if ((s = dq_kwargs_int(kw, "pipe_gap", &gap, err))) return s;
    if (gap < 1 || gap > 400)
        return dq_fail(err, DQ_EINVAL, "FlappyBird-v0: pipe_gap=%lld must be within 1..400",
                       (long long)gap);
    st->pipe_gap = (double)gap;
    st->ground_x = 0.0;
    st->ground_y = DQ_FLAPPY_SCREEN_H * 0.79;

    memset(obs_space, 0, sizeof *obs_space);
    obs_space->kind = DQ_SPACE_BOX;
    obs_space->ndim = 1;
    obs_space->dtype = DQ_F64; /* the package declares float64 */
    int n = st->use_lidar ? DQ_FLAPPY_LIDAR_RAYS : 12;
    obs_space->shape[0] = obs_space->size = n;
    for (int i = 0; i < n; i++) {
        if (st->use_lidar) {
            obs_space->low[i] = 0.0;
            obs_space->high[i] = st->normalize_obs ? 1.0 : INFINITY;
        } else {
            obs_space->low[i] = st->normalize_obs ? -1.0 : -INFINITY;
            obs_space->high[i] = st->normalize_obs ? 1.0 : INFINITY;
        }
    }
    memset(act_space, 0, sizeof *act_space);
    act_space->kind = DQ_SPACE_DISCRETE;
    act_space->n = 2;
    act_space->size = 1;
    act_space->dtype = DQ_I64;
    return DQ_OK;
}

/* ---- pygame Rect semantics ---------------------------------------------------------------- */

enum { OUT_TOP = 1, OUT_BOTTOM = 2, OUT_LEFT = 4, OUT_RIGHT = 8 };

static int outcode(int rx, int ry, int rw, int rh, int x, int y) {
    int c = 0;
    if (y < ry) c |= OUT_TOP;
    else if (y >= ry + rh) c |= OUT_BOTTOM;
    if (x < rx) c |= OUT_LEFT;
    else if (x >= rx + rw) c |= OUT_RIGHT;
    return c;
}

bool dq_flappy_clipline(int rx, int ry, int rw, int rh, double fx1, double fy1, double fx2,
                        double fy2, int out[4]) {
    if (rw <= 0 || rh <= 0) return false;
    int x1 = (int)fx1, y1 = (int)fy1, x2 = (int)fx2, y2 = (int)fy2; /* truncation, as pygame */
    const int left = rx, top = ry, right = rx + rw - 1, bottom = ry + rh - 1;
    if (x1 >= left && x1 <= right && x2 >= left && x2 <= right && y1 >= top && y1 <= bottom &&
        y2 >= top && y2 <= bottom) {
        out[0] = x1, out[1] = y1, out[2] = x2, out[3] = y2;
        return true;
    }
    if ((x1 < left && x2 < left) || (x1 > right && x2 > right) || (y1 < top && y2 < top) ||
        (y1 > bottom && y2 > bottom))
        return false;
    if (y1 == y2) { /* horizontal: clamp the x ends */
        out[0] = x1 < left ? left : x1 > right ? right : x1;
        out[2] = x2 < left ? left : x2 > right ? right : x2;
        out[1] = y1, out[3] = y2;
        return true;
    }
    if (x1 == x2) { /* vertical: clamp the y ends */
        out[1] = y1 < top ? top : y1 > bottom ? bottom : y1;
        out[3] = y2 < top ? top : y2 > bottom ? bottom : y2;
        out[0] = x1, out[2] = x2;
        return true;
    }
    /* Cohen-Sutherland in integers; each end moves onto one edge per round (C division). */
    int c1 = outcode(rx, ry, rw, rh, x1, y1), c2 = outcode(rx, ry, rw, rh, x2, y2);
    while (c1 || c2) {
        if (c1 & c2) return false;
        const int c = c1 ? c1 : c2;
        int x = 0, y = 0;
        if (c & OUT_TOP) {
            y = top;
            x = x1 + ((x2 - x1) * (y - y1)) / (y2 - y1);
        } else if (c & OUT_BOTTOM) {
            y = bottom;
            x = x1 + ((x2 - x1) * (y - y1)) / (y2 - y1);
        } else if (c & OUT_LEFT) {
            x = left;
            y = y1 + ((y2 - y1) * (x - x1)) / (x2 - x1);
        } else {
            x = right;
            y = y1 + ((y2 - y1) * (x - x1)) / (x2 - x1);
        }
        if (c1) {
            x1 = x, y1 = y;
            c1 = outcode(rx, ry, rw, rh, x, y);
        } else {
            x2 = x, y2 = y;
            c2 = outcode(rx, ry, rw, rh, x, y);
        }
    }
    out[0] = x1, out[1] = y1, out[2] = x2, out[3] = y2;
    return true;
}

/* Rect.colliderect of two rects (float coordinates truncated like pygame.Rect). */
static bool collide(double ax, double ay, int aw, int ah, double bx, double by, int bw, int bh) {
    const int x1 = (int)ax, y1 = (int)ay, x2 = (int)bx, y2 = (int)by;
    return x1 < x2 + bw && y1 < y2 + bh && x1 + aw > x2 && y1 + ah > y2;
}

/* ---- game ------------------------------------------------------------------------------- */

/* A new pipe pair just right of the screen; one draw from the env's stream. */
static void random_pipe(dq_flappy_state *st, dq_env_rand *rnd, double *up_x, double *up_y,
                        double *low_x, double *low_y) {
    static const int gap_ys[8] = {20, 30, 40, 50, 60, 70, 80, 90};
    int64_t index = dq_env_rand_int(rnd, 0, 8);
    if (index < 0 || index > 7) index = index < 0 ? 0 : 7; /* injected garbage stays in range */
    const double gap_y = gap_ys[index] + (int)(st->ground_y * 0.2);
    *up_x = *low_x = DQ_FLAPPY_SCREEN_W + DQ_FLAPPY_PIPE_WIDTH + DQ_FLAPPY_SCREEN_W * 0.2;
    *up_y = gap_y - DQ_FLAPPY_PIPE_HEIGHT;
    *low_y = gap_y + st->pipe_gap;
}

/* The 12 features: three pipes sorted by x (x, gap top, gap bottom), then y, vel_y, rotation. */
static void observe_features(const dq_flappy_state *st, float *obs) {
    double p[DQ_FLAPPY_NPIPES][3];
    for (int i = 0; i < DQ_FLAPPY_NPIPES; i++) {
        if (st->lower_x[i] > DQ_FLAPPY_SCREEN_W) {
            p[i][0] = DQ_FLAPPY_SCREEN_W, p[i][1] = 0, p[i][2] = DQ_FLAPPY_SCREEN_H;
        } else {
            p[i][0] = st->lower_x[i];
            p[i][1] = st->upper_y[i] + DQ_FLAPPY_PIPE_HEIGHT;
            p[i][2] = st->lower_y[i];
        }
    }
    /* stable insertion sort by x, as Python's sorted */
    for (int i = 1; i < DQ_FLAPPY_NPIPES; i++)
        for (int j = i; j > 0 && p[j][0] < p[j - 1][0]; j--)
            for (int k = 0; k < 3; k++) {
                double t = p[j][k];
                p[j][k] = p[j - 1][k];
                p[j - 1][k] = t;
            }
    double pos_y = st->player_y, vel_y = st->player_vel_y, rot = st->player_rot;
    if (st->normalize_obs) {
        for (int i = 0; i < DQ_FLAPPY_NPIPES; i++) {
            p[i][0] /= DQ_FLAPPY_SCREEN_W;
            p[i][1] /= DQ_FLAPPY_SCREEN_H;
            p[i][2] /= DQ_FLAPPY_SCREEN_H;
        }
        pos_y /= DQ_FLAPPY_SCREEN_H;
        vel_y /= DQ_FLAPPY_PLAYER_MAX_VEL_Y;
        rot /= 90;
    }
    for (int i = 0; i < DQ_FLAPPY_NPIPES; i++)
        for (int k = 0; k < 3; k++) obs[3 * i + k] = (float)p[i][k];
    obs[9] = (float)pos_y;
    obs[10] = (float)vel_y;
    obs[11] = (float)rot;
}

/* 180 rays of length 196 from the bird's beak, fanned over 180 degrees and tilted with the
 * bird (up to 20 degrees); returns true when a ray is shorter than the private zone. */
static bool observe_lidar(dq_flappy_state *st, float *obs) {
    const double ox = st->player_x + DQ_FLAPPY_PLAYER_WIDTH;
    const double oy = st->player_y + DQ_FLAPPY_PLAYER_HEIGHT / 2.0;
    const double visible_rot =
        st->player_rot <= DQ_FLAPPY_PLAYER_ROT_THR ? st->player_rot : DQ_FLAPPY_PLAYER_ROT_THR;
    int order[DQ_FLAPPY_NPIPES] = {0, 1, 2}; /* pipes nearest first (stable by x) */
    for (int i = 1; i < DQ_FLAPPY_NPIPES; i++)
        for (int j = i; j > 0 && st->upper_x[order[j]] < st->upper_x[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    bool near = false;
    for (int i = 0; i < DQ_FLAPPY_LIDAR_RAYS; i++) {
        const double rad = (double)(i - 90 - visible_rot) * (M_PI / 180.0); /* np.radians */
        const double ex = DQ_FLAPPY_LIDAR_MAX_DISTANCE * cos(rad) + ox;
        const double ey = DQ_FLAPPY_LIDAR_MAX_DISTANCE * sin(rad) + oy;
        double hx = ex, hy = ey;
        int c[4];
        if (dq_flappy_clipline(0, (int)st->ground_y, DQ_FLAPPY_BASE_WIDTH,
                               DQ_FLAPPY_BASE_HEIGHT, ox, oy, ex, ey, c))
            hx = c[0], hy = c[1];
        for (int k = 0; k < DQ_FLAPPY_NPIPES; k++) {
            const int p = order[k];
            if (dq_flappy_clipline((int)st->upper_x[p], (int)st->upper_y[p], DQ_FLAPPY_PIPE_WIDTH,
                                   DQ_FLAPPY_PIPE_HEIGHT, ox, oy, ex, ey, c) ||
                dq_flappy_clipline((int)st->lower_x[p], (int)st->lower_y[p], DQ_FLAPPY_PIPE_WIDTH,
                                   DQ_FLAPPY_PIPE_HEIGHT, ox, oy, ex, ey, c)) {
                hx = c[0], hy = c[1];
                break;
            }
        }
        if (hy > st->ground_y) hy = st->ground_y;
        st->lidar_hit[i][0] = hx;
        st->lidar_hit[i][1] = hy;
        double d = sqrt((ox - hx) * (ox - hx) + (oy - hy) * (oy - hy));
        if (d < DQ_FLAPPY_PLAYER_PRIVATE_ZONE) near = true;
        if (st->normalize_obs) d /= DQ_FLAPPY_LIDAR_MAX_DISTANCE;
        obs[i] = (float)d;
    }
    return near;
}

/* Observation; returns true when the LIDAR variant sees an obstacle within the private zone. */
static bool observe(dq_flappy_state *st, float *obs) {
    if (st->use_lidar) return observe_lidar(st, obs);
    observe_features(st, obs);
    return false;
}

static bool crashed(const dq_flappy_state *st) {
    if (st->player_y + DQ_FLAPPY_PLAYER_HEIGHT >= st->ground_y - 1) return true;
    for (int i = 0; i < DQ_FLAPPY_NPIPES; i++) {
        if (collide(st->player_x, st->player_y, DQ_FLAPPY_PLAYER_WIDTH, DQ_FLAPPY_PLAYER_HEIGHT,
                    st->upper_x[i], st->upper_y[i], DQ_FLAPPY_PIPE_WIDTH, DQ_FLAPPY_PIPE_HEIGHT) ||
            collide(st->player_x, st->player_y, DQ_FLAPPY_PLAYER_WIDTH, DQ_FLAPPY_PLAYER_HEIGHT,
                    st->lower_x[i], st->lower_y[i], DQ_FLAPPY_PIPE_WIDTH, DQ_FLAPPY_PIPE_HEIGHT))
            return true;
    }
    return false;
}

static void flappy_reset(void *vst, dq_env_rand *rnd, float *obs) {
    dq_flappy_state *st = vst;
    st->player_x = (int)(DQ_FLAPPY_SCREEN_W * 0.2);
    st->player_y = (int)((DQ_FLAPPY_SCREEN_H - DQ_FLAPPY_PLAYER_HEIGHT) / 2);
    st->player_vel_y = -9;
    st->player_rot = 45;
    st->player_idx = 0;
    st->loop_iter = 0;
    st->score = 0;
    /* three new pipes at 1, 1.5 and 2 screen widths (ground_x and the wing cycle carry over
     * between episodes, as in the package) */
    const double xs[DQ_FLAPPY_NPIPES] = {DQ_FLAPPY_SCREEN_W,
                                         DQ_FLAPPY_SCREEN_W + DQ_FLAPPY_SCREEN_W / 2.0,
                                         DQ_FLAPPY_SCREEN_W + DQ_FLAPPY_SCREEN_W};
    for (int i = 0; i < DQ_FLAPPY_NPIPES; i++) {
        double ux, lx;
        random_pipe(st, rnd, &ux, &st->upper_y[i], &lx, &st->lower_y[i]);
        st->upper_x[i] = st->lower_x[i] = xs[i];
    }
    observe(st, obs);
}

static void flappy_step(void *vst, dq_env_rand *rnd, int64_t action, const double *caction,
                        float *obs, double *reward, bool *terminated) {
    dq_flappy_state *st = vst;
    bool have_reward = false;
    double r = 0.0;
    if (action == 1 && st->player_y > -2 * DQ_FLAPPY_PLAYER_HEIGHT) {
        st->player_vel_y = DQ_FLAPPY_PLAYER_FLAP_ACC;
        st->player_flapped = true;
    }
    const double player_mid = st->player_x + DQ_FLAPPY_PLAYER_WIDTH / 2.0;
    for (int i = 0; i < DQ_FLAPPY_NPIPES; i++) {
        const double pipe_mid = st->upper_x[i] + DQ_FLAPPY_PIPE_WIDTH / 2.0;
        if (pipe_mid <= player_mid && player_mid < pipe_mid + 4) {
            st->score++;
            r = 1.0, have_reward = true;
        }
    }
    if ((st->loop_iter + 1) % 3 == 0) {
        static const int cycle[4] = {0, 1, 2, 1};
        st->player_idx = cycle[st->player_idx_pos];
        st->player_idx_pos = (st->player_idx_pos + 1) % 4;
    }
    st->loop_iter = (st->loop_iter + 1) % 30;
    st->ground_x = -fmod(-st->ground_x + 100, DQ_FLAPPY_BASE_WIDTH - DQ_FLAPPY_BACKGROUND_WIDTH);

    if (st->player_rot > -90) st->player_rot -= DQ_FLAPPY_PLAYER_VEL_ROT;
    if (st->player_vel_y < DQ_FLAPPY_PLAYER_MAX_VEL_Y && !st->player_flapped)
        st->player_vel_y += DQ_FLAPPY_PLAYER_ACC_Y;
    if (st->player_flapped) {
        st->player_flapped = false;
        st->player_rot = 45;
    }
    st->player_y += fmin(st->player_vel_y, st->ground_y - st->player_y - DQ_FLAPPY_PLAYER_HEIGHT);

    for (int i = 0; i < DQ_FLAPPY_NPIPES; i++) {
        st->upper_x[i] += DQ_FLAPPY_PIPE_VEL_X;
        st->lower_x[i] += DQ_FLAPPY_PIPE_VEL_X;
        if (st->upper_x[i] < -DQ_FLAPPY_PIPE_WIDTH)
            random_pipe(st, rnd, &st->upper_x[i], &st->upper_y[i], &st->lower_x[i],
                        &st->lower_y[i]);
    }

    const bool near = observe(st, obs);
    if (!have_reward) r = near ? -0.5 : 0.1;
    if (st->player_y < 0) r = -0.5; /* above the screen */
    bool term = false;
    if (crashed(st)) {
        r = -1.0;
        term = true;
        st->player_vel_y = 0;
    }
    *reward = r;
    *terminated = term;
}

/* State vector: player_y, player_vel_y, player_rot, score, loop_iter, then per pipe i
 * (upper_x, upper_y, lower_x, lower_y). */
static int flappy_get_state(const void *vst, double *out, int cap) {
    const dq_flappy_state *st = vst;
    double v[DQ_FLAPPY_STATE_N] = {st->player_y, st->player_vel_y, st->player_rot,
                                   (double)st->score, (double)st->loop_iter};
    for (int i = 0; i < DQ_FLAPPY_NPIPES; i++) {
        v[5 + 4 * i] = st->upper_x[i];
        v[6 + 4 * i] = st->upper_y[i];
        v[7 + 4 * i] = st->lower_x[i];
        v[8 + 4 * i] = st->lower_y[i];
    }
    int n = cap < DQ_FLAPPY_STATE_N ? cap : DQ_FLAPPY_STATE_N;
    memcpy(out, v, (size_t)n * sizeof *out);
    return DQ_FLAPPY_STATE_N;
}

static dq_status flappy_set_state(void *vst, const double *s, int n, float *obs, dq_error *err) {
    dq_flappy_state *st = vst;
    if (n != DQ_FLAPPY_STATE_N)
        return dq_fail(err, DQ_EINVAL, "FlappyBird-v0: state needs %d values, got %d",
                       DQ_FLAPPY_STATE_N, n);
    for (int i = 0; i < n; i++)
        if (!isfinite(s[i]))
            return dq_fail(err, DQ_EINVAL, "FlappyBird-v0: state[%d] is not finite", i);
    if (s[4] < 0 || s[4] >= 30 || s[4] != floor(s[4]) || s[3] < 0)
        return dq_fail(err, DQ_EINVAL, "FlappyBird-v0: bad score or loop_iter in the state");
    st->player_y = s[0];
    st->player_vel_y = s[1];
    st->player_rot = s[2];
    st->score = (int64_t)s[3];
    st->loop_iter = (int)s[4];
    st->player_flapped = false;
    for (int i = 0; i < DQ_FLAPPY_NPIPES; i++) {
        st->upper_x[i] = s[5 + 4 * i];
        st->upper_y[i] = s[6 + 4 * i];
        st->lower_x[i] = s[7 + 4 * i];
        st->lower_y[i] = s[8 + 4 * i];
    }
    observe(st, obs);
    return DQ_OK;
}

/* flappy-bird-gymnasium's info: {"score": pipes passed}. */
static void flappy_info(const void *st, dq_info *out) {
    out->has = DQ_INFO_SCORE;
    out->score = ((const dq_flappy_state *)st)->score;
}

const dq_env_type dq_env_flappy_bird = {
    .id = "FlappyBird-v0",
    .summary = "flappy-bird-gymnasium: flap (1) or not (0) through pipes; use_lidar=false for 12 features",
    .max_episode_steps = 0, /* registered without a time limit */
    .reward_threshold = NAN,
    .default_kwargs = NULL,
    .options = flappy_options,
    .render_fps = 30,
    .state_size = sizeof(dq_flappy_state),
    .init = flappy_init,
    .reset = flappy_reset,
    .step = flappy_step,
    .get_state = flappy_get_state,
    .set_state = flappy_set_state,
    .info = flappy_info,
};
