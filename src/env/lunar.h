/* lunar.h — internal header of LunarLander-v3 (src/env/lunar.c) and of its Box2D shim
 * (src/env/lunar_box2d.cpp).
 *
 * dq_lunar_state is the env's state struct (dq_env_state() returns it): a renderer reads the
 * terrain, the body poses and outlines, the leg contacts and what the engines did on the last
 * step (power, dispersion, impulse point) to draw flames and particles. Everything physical
 * lives in a Box2D 2.4 world behind the opaque dq_lunar_b2 handle; the shim exposes plain C so
 * no C++ type leaks into the rest of the library. Units are Box2D's (metres = pixels / SCALE). */
#ifndef DQ_ENV_LUNAR_H
#define DQ_ENV_LUNAR_H

#include <stdbool.h>
#include <stdint.h>

#include "deepq/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Gymnasium 1.0.0 lunar_lander.py constants. */
#define DQ_LUNAR_FPS 50
#define DQ_LUNAR_SCALE 30.0
#define DQ_LUNAR_MAIN_ENGINE_POWER 13.0
#define DQ_LUNAR_SIDE_ENGINE_POWER 0.6
#define DQ_LUNAR_INITIAL_RANDOM 1000.0
#define DQ_LUNAR_LEG_AWAY 20.0
#define DQ_LUNAR_LEG_DOWN 18.0
#define DQ_LUNAR_LEG_W 2.0
#define DQ_LUNAR_LEG_H 8.0
#define DQ_LUNAR_LEG_SPRING_TORQUE 40.0
#define DQ_LUNAR_SIDE_ENGINE_HEIGHT 14.0
#define DQ_LUNAR_SIDE_ENGINE_AWAY 12.0
#define DQ_LUNAR_MAIN_ENGINE_Y_LOCATION 4.0
#define DQ_LUNAR_VIEWPORT_W 600.0
#define DQ_LUNAR_VIEWPORT_H 400.0
#define DQ_LUNAR_CHUNKS 11
#define DQ_LUNAR_VEL_ITERS (6 * 30)
#define DQ_LUNAR_POS_ITERS (2 * 30)

/* Pose and velocity of one Box2D body, as Box2D holds them (float32). */
typedef struct dq_lunar_body {
    float x, y, angle;
    float vx, vy, omega;
    bool awake;
} dq_lunar_body;

typedef struct dq_lunar_b2 dq_lunar_b2; /* opaque Box2D world (lunar_box2d.cpp) */

/* What one step's engines did (for particles/flames; zero power = engine off). */
typedef struct dq_lunar_engines {
    double m_power, s_power;  /* main 0 or 0.5..1; side 0 or 0.5..1 */
    int side_direction;       /* -1 left engine pushes right..., +1, 0 when off */
    double dispersion[2];     /* the step's two uniform(-1,1)/SCALE draws */
    double main_pos[2];       /* impulse application point of the main engine (world) */
    double main_impulse[2];   /* impulse given to the exhaust (the lander got its negative) */
    double side_pos[2], side_impulse[2];
} dq_lunar_engines;

typedef struct dq_lunar_state {
    /* options (gym.make kwargs) */
    bool continuous, enable_wind;
    double gravity, wind_power, turbulence_power;

    dq_lunar_b2 *b2; /* rebuilt at every reset; NULL before the first */

    /* terrain: CHUNKS points of the ground polyline (x, smoothed y), helipad span */
    double chunk_x[DQ_LUNAR_CHUNKS], smooth_y[DQ_LUNAR_CHUNKS];
    double helipad_x1, helipad_x2, helipad_y;

    int64_t wind_idx, torque_idx; /* wind/turbulence phase (wind only) */
    bool has_prev_shaping;
    double prev_shaping;

    /* after the last step (render hook) */
    dq_lunar_body lander, legs[2];
    bool leg_contact[2], game_over;
    dq_lunar_engines engines;
} dq_lunar_state;

/* Outline vertices in body coordinates (metres), for renderers. */
#define DQ_LUNAR_LANDER_NV 6
/* Exported (DQ_API) for libdeepq_viz's renderer, a separate library. */
DQ_API extern const double dq_lunar_lander_poly[DQ_LUNAR_LANDER_NV][2]; /* LANDER_POLY / SCALE */

/* The env type registered as "LunarLander-v3" (src/env/registry.c). */
struct dq_env_type;
extern const struct dq_env_type dq_env_lunar_lander;

/* ---- Box2D shim (extern "C", implemented in lunar_box2d.cpp) ---- */

/* Build the world of one episode: ground edges through (x[i], y[i]), lander, legs, joints,
 * contact listener. NULL when out of memory. Owned by the caller (dq_lunar_b2_destroy). */
dq_lunar_b2 *dq_lunar_b2_create(double gravity, const double *x, const double *y, int n);
/* Destroy the world (NULL-safe). */
void dq_lunar_b2_destroy(dq_lunar_b2 *w);
/* Lander forces/impulses (world coordinates), all waking the body, as Gymnasium calls them. */
void dq_lunar_b2_force_center(dq_lunar_b2 *w, double fx, double fy);
void dq_lunar_b2_torque(dq_lunar_b2 *w, double t);
void dq_lunar_b2_impulse(dq_lunar_b2 *w, double ix, double iy, double px, double py);
/* world.Step(dt, vel_iters, pos_iters). */
void dq_lunar_b2_step(dq_lunar_b2 *w, double dt, int vel_iters, int pos_iters);
/* Step n worlds with the results of n dq_lunar_b2_step calls, the joint solves of up to
 * `lanes` worlds overlapped (lunar_box2d.cpp, Joint23::SolveVelocityConstraints); lanes <= 0
 * or above the CPU's (8 with AVX2, else 4): the CPU's. */
void dq_lunar_b2_step_many(dq_lunar_b2 *const *w, int n, int lanes, double dt, int vel_iters,
                           int pos_iters);
/* Read the bodies: 0 lander, 1 left leg (i = -1), 2 right leg. */
void dq_lunar_b2_body(const dq_lunar_b2 *w, int which, dq_lunar_body *out);
/* Contact flags kept by the listener: lander touched the ground; leg i touches the ground. */
bool dq_lunar_b2_game_over(const dq_lunar_b2 *w);
bool dq_lunar_b2_leg_contact(const dq_lunar_b2 *w, int i);

#ifdef __cplusplus
}
#endif
#endif
