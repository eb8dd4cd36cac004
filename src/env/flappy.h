/* flappy.h — internal header of FlappyBird-v0 (src/env/flappy.c), the game of the
 * flappy-bird-gymnasium package (0.4.0) that Gymnasium users train on.
 *
 * dq_flappy_state is the env's state struct (dq_env_state() returns it): a renderer reads the
 * bird (position, rotation, wing frame), the three pipe pairs, the scrolling ground and, with
 * use_lidar, the 180 ray end points. Units are the package's screen pixels (288 x 512, y down). */
#ifndef DQ_ENV_FLAPPY_H
#define DQ_ENV_FLAPPY_H

#include <stdbool.h>
#include <stdint.h>

#include "deepq/env.h"

/* flappy_bird_gymnasium/envs/constants.py and flappy_bird_env.py defaults. */
#define DQ_FLAPPY_SCREEN_W 288
#define DQ_FLAPPY_SCREEN_H 512
#define DQ_FLAPPY_PIPE_VEL_X (-4)
#define DQ_FLAPPY_PLAYER_MAX_VEL_Y 10
#define DQ_FLAPPY_PLAYER_ACC_Y 1
#define DQ_FLAPPY_PLAYER_VEL_ROT 3
#define DQ_FLAPPY_PLAYER_FLAP_ACC (-9)
#define DQ_FLAPPY_PLAYER_WIDTH 34
#define DQ_FLAPPY_PLAYER_HEIGHT 24
#define DQ_FLAPPY_PLAYER_PRIVATE_ZONE 32.0 /* (max(34, 24) + 30) / 2 */
#define DQ_FLAPPY_LIDAR_MAX_DISTANCE 196   /* int(288 * 0.8) - 34 */
#define DQ_FLAPPY_LIDAR_RAYS 180
#define DQ_FLAPPY_PIPE_WIDTH 52
#define DQ_FLAPPY_PIPE_HEIGHT 320
#define DQ_FLAPPY_BASE_WIDTH 336
#define DQ_FLAPPY_BASE_HEIGHT 112
#define DQ_FLAPPY_BACKGROUND_WIDTH 288
#define DQ_FLAPPY_PLAYER_ROT_THR 20
#define DQ_FLAPPY_NPIPES 3
#define DQ_FLAPPY_STATE_N 17 /* get_state/set_state vector, see flappy.c */

typedef struct dq_flappy_state {
    /* options */
    bool use_lidar, normalize_obs;
    double pipe_gap;

    /* bird (Python ints or floats: kept as double) */
    double player_x, player_y, player_vel_y, player_rot;
    bool player_flapped;
    int player_idx;     /* wing sprite 0..2 (render only) */
    int player_idx_pos; /* position in the cycle 0, 1, 2, 1 (render only) */
    int loop_iter;      /* 0..29 */
    int64_t score;

    double ground_x, ground_y; /* ground scroll (render only) and its top (404.48) */
    double upper_x[DQ_FLAPPY_NPIPES], upper_y[DQ_FLAPPY_NPIPES]; /* top-left of the pipes */
    double lower_x[DQ_FLAPPY_NPIPES], lower_y[DQ_FLAPPY_NPIPES];

    /* last LIDAR scan (use_lidar): ray end points, screen pixels */
    double lidar_hit[DQ_FLAPPY_LIDAR_RAYS][2];
} dq_flappy_state;

/* The env type registered as "FlappyBird-v0" (src/env/registry.c). */
extern const dq_env_type dq_env_flappy_bird;

/* pygame's Rect.clipline (SDL_IntersectRectAndLine) on a rect (x, y, w, h) and the line
 * (x1, y1)-(x2, y2), all truncated to int as pygame does. Returns true and the clipped end
 * points in out[4] when the line touches the rect. Exposed for tests. */
bool dq_flappy_clipline(int rx, int ry, int rw, int rh, double x1, double y1, double x2,
                        double y2, int out[4]);

#endif
