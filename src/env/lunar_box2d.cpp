/* lunar_box2d.cpp — the only C++ in deepq: an extern "C" wrapper over Debian's Box2D 2.4
 * that builds LunarLander-v3's world exactly as Gymnasium 1.0.0 builds it with pybox2d
 * (ground edges, lander polygon, two legs on motorised, limited revolute joints, a contact
 * listener for game_over and leg contacts). All game logic is in lunar.c.
 *
 * Values arrive as double (Python floats) and are rounded to Box2D's float32 where pybox2d
 * rounds them: at the call boundary.
 *
 * Box2D 2.3 vs 2.4. Gymnasium runs Box2D 2.3. Box2D 2.4 rewrote the revolute joint's limit:
 * separate lower/upper impulses solved one after the other with a speculative bias, where 2.3
 * solves the point constraint and an active limit together as one 3x3 block with a limit
 * state (inactive / at lower / at upper). LunarLander's legs start 0.4 rad outside their limits
 * and come back to them after ~23 steps, so the two versions part there (measured: first
 * observation off by ~2e-4, >1e-3 from step 23). With every other part of 2.4 left as it is,
 * the legs' joints here follow the 2.3 formulation (Joint23 below, written from the 2.3
 * equations), which brings the replay of Gymnasium's recordings to float32 rounding.
 * Box2D 2.4 has no hook for user joints, so the joint made by CreateJoint is given the
 * dispatch table of Joint23, a subclass that adds no data (same size, checked at compile
 * time); its extra solver state lives in the world struct, reached through the joint's
 * userData. The bodies get the mass and inertia 2.3 computes (set_mass23). Set
 * DQ_LUNAR_JOINT24 to 1 at build time to run 2.4's own joint and mass computation instead.
 * What still differs is inside 2.4's island solver, out of reach from here: it integrates
 * v += h * invMass * (mass * g + F) where 2.3 has v += h * (g + invMass * F), ~1e-7 per step.
 *
 * Speed. Most of a step is the joints' 180 velocity iterations, one chain of dependent float
 * operations through the lander's velocity: the core mostly waits on latencies. Joint23 runs
 * a step's iterations in one call when the island has no contact, and dq_lunar_b2_step_many
 * overlaps up to 8 worlds: each world's solve steps the next world from inside and waits,
 * and the last runs all their iterations in one loop, a world per vector lane (solve_group).
 * Every world gets the bits of its own dq_lunar_b2_step. */
#include <box2d/b2_time_step.h>
#include <box2d/box2d.h>

#include <cstring>
#include <new>

#include "env/lunar.h"

namespace {

struct Listener : public b2ContactListener {
    b2Body *lander = nullptr;
    b2Body *legs[2] = {nullptr, nullptr};
    bool game_over = false;
    bool leg_contact[2] = {false, false};

    void BeginContact(b2Contact *c) override {
        b2Body *a = c->GetFixtureA()->GetBody(), *b = c->GetFixtureB()->GetBody();
        if (a == lander || b == lander) game_over = true;
        for (int i = 0; i < 2; i++)
            if (a == legs[i] || b == legs[i]) leg_contact[i] = true;
    }
    void EndContact(b2Contact *c) override {
        b2Body *a = c->GetFixtureA()->GetBody(), *b = c->GetFixtureB()->GetBody();
        for (int i = 0; i < 2; i++)
            if (a == legs[i] || b == legs[i]) leg_contact[i] = false;
    }
};

struct Joint23State;

// The velocity iterations of one world's two leg joints, to be run in one call.
struct PairSolve {
    Joint23State *s, *t; // the joints in Box2D's call order (both on the lander)
    b2Velocity *vel;     // the island's velocities
    int iters;
    bool done;
};

// Most worlds whose joint solves run together, lane k of a float vector being world k's.
enum { kMaxLanes = 8 };

// One dq_lunar_b2_step_many call: its worlds, the next to step, the solves waiting.
struct Overlap {
    dq_lunar_b2 *const *worlds;
    int n, next;
    PairSolve *waiting[kMaxLanes];
    int n_waiting, lanes; // lanes: at most group_lanes()
    float dt;
    int vel_iters, pos_iters;
};

// The two leg joints of one world (see Joint23::SolveVelocityConstraints).
struct Joint23Pair {
    Joint23State *state[2] = {nullptr, nullptr};
    b2Body *const *bodies = nullptr; // the world's lander and legs: the island's bodies
    bool pending = false;     // set by InitVelocityConstraints: the step's first solve decides
    int skip = 0;             // solve calls left that the batched first call already did
    Overlap *overlap = nullptr; // set while dq_lunar_b2_step_many steps this world
};

// Solver state of one Joint23 that does not fit in b2RevoluteJoint's fields, and the per-step
// constants of its velocity solve (set by InitVelocityConstraints).
struct Joint23State {
    b2Vec3 impulse;        // point (x, y) and limit (z) accumulated impulses
    float motor_impulse;   // accumulated motor impulse
    int limit_state;       // Limit below
    b2Mat33 mass;          // 3x3 effective-mass matrix of point + angle
    Joint23Pair *pair;     // the world's two joints
    // per step: bodies' velocity indices, inverse masses, anchors, what is active
    int index_a, index_b;
    float m_a, m_b, i_a, i_b;
    b2Vec2 r_a, r_b;
    bool motor, limit;
    float motor_speed, axial_mass, max_impulse;
    // Solve33's and Solve22's parts that depend on the matrix only, computed once per step
    // with Box2D's operations (b2_math.cpp), so solve33/solve22 give b2Mat33's bits inline.
    b2Vec3 cross_eyez; // b2Cross(ey, ez)
    float det33, det22; // their 1/det (0 when singular)
};

enum Limit { LIMIT_INACTIVE, LIMIT_LOWER, LIMIT_UPPER, LIMIT_EQUAL };

// b2Mat33::Solve33(b) with the matrix-only parts from s (the same operations, in order).
__attribute__((always_inline)) inline b2Vec3 solve33(const Joint23State &s, const b2Vec3 &b) {
    const b2Mat33 &K = s.mass;
    return b2Vec3(s.det33 * b2Dot(b, s.cross_eyez), s.det33 * b2Dot(K.ex, b2Cross(b, K.ez)),
                  s.det33 * b2Dot(K.ex, b2Cross(K.ey, b)));
}

// b2Mat33::Solve22(b) with its determinant from s.
__attribute__((always_inline)) inline b2Vec2 solve22(const Joint23State &s, const b2Vec2 &b) {
    const float a11 = s.mass.ex.x, a12 = s.mass.ey.x, a21 = s.mass.ex.y, a22 = s.mass.ey.y;
    return b2Vec2(s.det22 * (a22 * b.x - a12 * b.y), s.det22 * (a11 * b.y - a21 * b.x));
}

// One velocity iteration of one joint, Box2D 2.3's revolute joint (motor, then point and
// limit together, or the point alone), on the velocities of its bodies A and B. Inlined into
// the loops below so the velocities stay in registers.
__attribute__((always_inline)) inline void solve_velocity23(Joint23State &s, b2Vec2 &vA,
                                                            float &wA, b2Vec2 &vB, float &wB) {
    const float mA = s.m_a, mB = s.m_b, iA = s.i_a, iB = s.i_b;
    if (s.motor) {
        const float Cdot = wB - wA - s.motor_speed;
        float impulse = -s.axial_mass * Cdot;
        const float old = s.motor_impulse, max_impulse = s.max_impulse;
        s.motor_impulse = b2Clamp(s.motor_impulse + impulse, -max_impulse, max_impulse);
        impulse = s.motor_impulse - old;
        wA -= iA * impulse;
        wB += iB * impulse;
    }

    if (s.limit) {
        // point and angle together; a limit impulse may only push away from the limit
        const b2Vec2 Cdot1 = vB + b2Cross(wB, s.r_b) - vA - b2Cross(wA, s.r_a);
        const float Cdot2 = wB - wA;
        b2Vec3 impulse = -solve33(s, b2Vec3(Cdot1.x, Cdot1.y, Cdot2));
        const float z_new = s.impulse.z + impulse.z;
        const bool clamp = (s.limit_state == LIMIT_LOWER && z_new < 0.0f) ||
                           (s.limit_state == LIMIT_UPPER && z_new > 0.0f);
        if (clamp) {
            // drop the limit impulse to zero and solve the point constraint alone
            const b2Vec2 rhs = -Cdot1 + s.impulse.z * b2Vec2(s.mass.ez.x, s.mass.ez.y);
            const b2Vec2 reduced = solve22(s, rhs);
            impulse.x = reduced.x;
            impulse.y = reduced.y;
            impulse.z = -s.impulse.z;
            s.impulse.x += reduced.x;
            s.impulse.y += reduced.y;
            s.impulse.z = 0.0f;
        } else {
            s.impulse += impulse;
        }
        const b2Vec2 P(impulse.x, impulse.y);
        vA -= mA * P;
        wA -= iA * (b2Cross(s.r_a, P) + impulse.z);
        vB += mB * P;
        wB += iB * (b2Cross(s.r_b, P) + impulse.z);
    } else {
        const b2Vec2 Cdot = vB + b2Cross(wB, s.r_b) - vA - b2Cross(wA, s.r_a);
        const b2Vec2 impulse = solve22(s, -Cdot);
        s.impulse.x += impulse.x;
        s.impulse.y += impulse.y;
        vA -= mA * impulse;
        wA -= iA * b2Cross(s.r_a, impulse);
        vB += mB * impulse;
        wB += iB * b2Cross(s.r_b, impulse);
    }
}

// The velocities of one batched solve: the lander (shared by both joints) and the two legs.
struct PairVel {
    b2Vec2 vL, v0, v1;
    float wL, w0, w1;
};

__attribute__((always_inline)) inline PairVel load_pair(const PairSolve &j) {
    const b2Velocity *vel = j.vel;
    return {vel[j.s->index_a].v, vel[j.s->index_b].v, vel[j.t->index_b].v,
            vel[j.s->index_a].w, vel[j.s->index_b].w, vel[j.t->index_b].w};
}

__attribute__((always_inline)) inline void store_pair(PairSolve &j, const PairVel &p) {
    b2Velocity *vel = j.vel;
    vel[j.s->index_a].v = p.vL;
    vel[j.s->index_a].w = p.wL;
    vel[j.s->index_b].v = p.v0;
    vel[j.s->index_b].w = p.w0;
    vel[j.t->index_b].v = p.v1;
    vel[j.t->index_b].w = p.w1;
    j.done = true;
}

// All velocity iterations of one world's joints, in Box2D's order.
void solve_pair(PairSolve &a) {
    PairVel p = load_pair(a);
    for (int i = 0; i < a.iters; i++) {
        solve_velocity23(*a.s, p.vL, p.wL, p.v0, p.w0);
        solve_velocity23(*a.t, p.vL, p.wL, p.v1, p.w1);
    }
    store_pair(a, p);
}

// ---- Several worlds' joints at once, one world per vector lane ----
// GCC/Clang vector extensions: every operation below is, lane by lane, the float operation
// of solve_velocity23 (no FMA: -ffp-contract=off), and each branch there is a select here
// computed from both sides, so each lane gets its world's bits. L lanes: 8 in one AVX2
// register where the CPU has it (solve_group8), else 4 (SSE2, or any CPU's 128-bit vectors).
template <int L> struct Lanes {
    typedef float vf __attribute__((vector_size(4 * L)));
    typedef int vi __attribute__((vector_size(4 * L)));
};

// GCC warns that 32-byte vectors passed by value change the ABI without AVX: the helpers
// below are always inlined (into solve_group8, compiled for AVX2), so no call passes them.
// Not popped: the templates are instantiated, and warned about, at the end of the file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

// Lane by lane m ? a : b, as bits (a vector ?: would be split into scalars without SSE4.1).
template <int L>
__attribute__((always_inline)) inline typename Lanes<L>::vf sel(typename Lanes<L>::vi m,
                                                                typename Lanes<L>::vf a,
                                                                typename Lanes<L>::vf b) {
    typedef typename Lanes<L>::vf vf;
    typedef typename Lanes<L>::vi vi;
    return (vf)(((vi)a & m) | ((vi)b & ~m));
}

// One joint of every lane: the Joint23State fields the iterations read, and its impulses.
template <int L> struct JointLanes {
    typedef typename Lanes<L>::vf vf;
    typedef typename Lanes<L>::vi vi;
    vf m_a, m_b, i_a, i_b, rax, ray, rbx, rby;
    vf motor_speed, axial_mass, max_impulse;
    vf exx, exy, exz, eyx, eyy, eyz, ezx, ezy, ezz, cx, cy, cz, det33, det22;
    vi motor, limit, lower, upper;
    vf ix, iy, iz, motor_impulse; // accumulated impulses (written back)
};

template <int L>
__attribute__((always_inline)) inline void gather(JointLanes<L> &j, int k,
                                                  const Joint23State &s) {
    j.m_a[k] = s.m_a, j.m_b[k] = s.m_b, j.i_a[k] = s.i_a, j.i_b[k] = s.i_b;
    j.rax[k] = s.r_a.x, j.ray[k] = s.r_a.y, j.rbx[k] = s.r_b.x, j.rby[k] = s.r_b.y;
    j.motor_speed[k] = s.motor_speed, j.axial_mass[k] = s.axial_mass;
    j.max_impulse[k] = s.max_impulse;
    const b2Mat33 &K = s.mass;
    j.exx[k] = K.ex.x, j.exy[k] = K.ex.y, j.exz[k] = K.ex.z;
    j.eyx[k] = K.ey.x, j.eyy[k] = K.ey.y, j.eyz[k] = K.ey.z;
    j.ezx[k] = K.ez.x, j.ezy[k] = K.ez.y, j.ezz[k] = K.ez.z;
    j.cx[k] = s.cross_eyez.x, j.cy[k] = s.cross_eyez.y, j.cz[k] = s.cross_eyez.z;
    j.det33[k] = s.det33, j.det22[k] = s.det22;
    j.motor[k] = s.motor ? -1 : 0, j.limit[k] = s.limit ? -1 : 0;
    j.lower[k] = s.limit_state == LIMIT_LOWER ? -1 : 0;
    j.upper[k] = s.limit_state == LIMIT_UPPER ? -1 : 0;
    j.ix[k] = s.impulse.x, j.iy[k] = s.impulse.y, j.iz[k] = s.impulse.z;
    j.motor_impulse[k] = s.motor_impulse;
}

template <int L>
__attribute__((always_inline)) inline void scatter(const JointLanes<L> &j, int k,
                                                   Joint23State &s) {
    s.impulse.Set(j.ix[k], j.iy[k], j.iz[k]);
    s.motor_impulse = j.motor_impulse[k];
}

// solve_velocity23 on every lane.
template <int L>
__attribute__((always_inline)) inline void solve_lanes(JointLanes<L> &j,
                                                       typename Lanes<L>::vf &vax,
                                                       typename Lanes<L>::vf &vay,
                                                       typename Lanes<L>::vf &wa,
                                                       typename Lanes<L>::vf &vbx,
                                                       typename Lanes<L>::vf &vby,
                                                       typename Lanes<L>::vf &wb) {
    typedef typename Lanes<L>::vf vf;
    typedef typename Lanes<L>::vi vi;
    { // motor
        const vf Cdot = wb - wa - j.motor_speed;
        const vf impulse = -j.axial_mass * Cdot;
        const vf old = j.motor_impulse;
        // b2Clamp(x, lo, hi) = b2Max(lo, b2Min(x, hi)), b2Min(a, b) = a < b ? a : b
        const vf x = old + impulse, lo = -j.max_impulse;
        const vf below = sel<L>(x < j.max_impulse, x, j.max_impulse);
        const vf clamped = sel<L>(lo > below, lo, below);
        const vf applied = clamped - old;
        j.motor_impulse = sel<L>(j.motor, clamped, old);
        wa = sel<L>(j.motor, wa - j.i_a * applied, wa);
        wb = sel<L>(j.motor, wb + j.i_b * applied, wb);
    }
    // Cdot of the point constraint (both paths): vB + b2Cross(wB, rB) - vA - b2Cross(wA, rA)
    const vf Cx = vbx + -wb * j.rby - vax - -wa * j.ray;
    const vf Cy = vby + wb * j.rbx - vay - wa * j.rax;
    // limit path: Solve33 of (Cx, Cy, wB - wA), then the clamp against the limit's side
    const vf Cz = wb - wa;
    const vf kx = Cy * j.ezz - Cz * j.ezy, ky = Cz * j.ezx - Cx * j.ezz,
             kz = Cx * j.ezy - Cy * j.ezx; // b2Cross(b, ez)
    const vf lx = j.eyy * Cz - j.eyz * Cy, ly = j.eyz * Cx - j.eyx * Cz,
             lz = j.eyx * Cy - j.eyy * Cx; // b2Cross(ey, b)
    const vf x3 = -(j.det33 * (Cx * j.cx + Cy * j.cy + Cz * j.cz));
    const vf y3 = -(j.det33 * (j.exx * kx + j.exy * ky + j.exz * kz));
    const vf z3 = -(j.det33 * (j.exx * lx + j.exy * ly + j.exz * lz));
    const vf z_new = j.iz + z3;
    const vf zero = {};
    const vi clamp = (j.lower & (z_new < zero)) | (j.upper & (z_new > zero));
    const vf rx = -Cx + j.iz * j.ezx, ry = -Cy + j.iz * j.ezy;
    const vf redx = j.det22 * (j.eyy * rx - j.eyx * ry), redy = j.det22 * (j.exx * ry - j.exy * rx);
    const vf Lx = sel<L>(clamp, redx, x3), Ly = sel<L>(clamp, redy, y3), Lz = sel<L>(clamp, -j.iz, z3);
    const vf lim_ix = j.ix + Lx, lim_iy = j.iy + Ly, lim_iz = sel<L>(clamp, zero, z_new);
    // point-only path: Solve22 of -Cdot
    const vf nx = -Cx, ny = -Cy;
    const vf px2 = j.det22 * (j.eyy * nx - j.eyx * ny), py2 = j.det22 * (j.exx * ny - j.exy * nx);
    const vf Px = sel<L>(j.limit, Lx, px2), Py = sel<L>(j.limit, Ly, py2);
    j.ix = sel<L>(j.limit, lim_ix, j.ix + px2);
    j.iy = sel<L>(j.limit, lim_iy, j.iy + py2);
    j.iz = sel<L>(j.limit, lim_iz, j.iz);
    const vf crossA = j.rax * Py - j.ray * Px, crossB = j.rbx * Py - j.rby * Px;
    const vf tA = sel<L>(j.limit, crossA + Lz, crossA), tB = sel<L>(j.limit, crossB + Lz, crossB);
    vax = vax - j.m_a * Px;
    vay = vay - j.m_a * Py;
    wa = wa - j.i_a * tA;
    vbx = vbx + j.m_b * Px;
    vby = vby + j.m_b * Py;
    wb = wb + j.i_b * tB;
}

// The iterations of n worlds (n <= L, the same count each) in one loop: each world's chain
// of dependent operations is its own lane, so one chain's latency covers all n. Unused lanes
// repeat world 0 and are not written back.
template <int L>
__attribute__((always_inline)) inline void solve_group_lanes(PairSolve *const *job, int n) {
    typedef typename Lanes<L>::vf vf;
    JointLanes<L> S, T;
    vf vLx, vLy, wL, v0x, v0y, w0, v1x, v1y, w1;
    for (int k = 0; k < L; k++) {
        const PairSolve &j = *job[k < n ? k : 0];
        gather(S, k, *j.s);
        gather(T, k, *j.t);
        const PairVel p = load_pair(j);
        vLx[k] = p.vL.x, vLy[k] = p.vL.y, wL[k] = p.wL;
        v0x[k] = p.v0.x, v0y[k] = p.v0.y, w0[k] = p.w0;
        v1x[k] = p.v1.x, v1y[k] = p.v1.y, w1[k] = p.w1;
    }
    for (int i = 0; i < job[0]->iters; i++) {
        solve_lanes<L>(S, vLx, vLy, wL, v0x, v0y, w0);
        solve_lanes<L>(T, vLx, vLy, wL, v1x, v1y, w1);
    }
    for (int k = 0; k < n; k++) {
        PairSolve &j = *job[k];
        scatter(S, k, *j.s);
        scatter(T, k, *j.t);
        store_pair(j, {b2Vec2(vLx[k], vLy[k]), b2Vec2(v0x[k], v0y[k]), b2Vec2(v1x[k], v1y[k]),
                       wL[k], w0[k], w1[k]});
    }
}

void solve_group4(PairSolve *const *job, int n) { solve_group_lanes<4>(job, n); }

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2"))) void solve_group8(PairSolve *const *job, int n) {
    solve_group_lanes<8>(job, n);
}
#endif

// How many worlds one solve_group call takes on this CPU (Overlap.lanes).
int group_lanes() {
#if defined(__x86_64__) || defined(__i386__)
    return __builtin_cpu_supports("avx2") ? 8 : 4;
#else
    return 4;
#endif
}

// The iterations of n <= group_lanes() worlds, all at once when they have the same count.
void solve_group(PairSolve *const *job, int n) {
    for (int k = 1; k < n; k++)
        if (job[k]->iters != job[0]->iters) {
            for (int i = 0; i < n; i++) solve_pair(*job[i]);
            return;
        }
#if defined(__x86_64__) || defined(__i386__)
    if (n > 4) {
        solve_group8(job, n);
        return;
    }
#endif
    solve_group4(job, n);
}

// Whether the island of the lander holds no contact: then Box2D's velocity iterations are the
// two joints' solves alternating (b2Island::Solve solves the joints, then the contacts, each
// iteration; the lander and legs collide with the moon only, and an island takes the
// touching, enabled, non-sensor contacts of its bodies).
bool pair_without_contacts(const Joint23Pair &p) {
    for (int k = 0; k < 3; k++)
        for (b2ContactEdge *ce = p.bodies[k]->GetContactList(); ce; ce = ce->next)
            if (ce->contact->IsTouching() && ce->contact->IsEnabled()) return false;
    return true;
}

// Step the next world of o (defined after dq_lunar_b2).
void step_next(Overlap *o);

// A revolute joint solved as Box2D 2.3 solves it (see the file comment).
class Joint23 : public b2RevoluteJoint {
  public:
    explicit Joint23(const b2RevoluteJointDef *def) : b2RevoluteJoint(def) {}

  protected:
    Joint23State &S() { return *reinterpret_cast<Joint23State *>(GetUserData().pointer); }

    void InitVelocityConstraints(const b2SolverData &data) override {
        Joint23State &s = S();
        // Let 2.4 fill the body indices, anchors, masses and m_axialMass = 1/(iA+iB); with
        // its own impulses zeroed its warm start leaves the velocities untouched.
        m_impulse.SetZero();
        m_motorImpulse = m_lowerImpulse = m_upperImpulse = 0.0f;
        b2RevoluteJoint::InitVelocityConstraints(data);

        const float mA = m_invMassA, mB = m_invMassB, iA = m_invIA, iB = m_invIB;
        const bool fixed_rotation = (iA + iB == 0.0f);
        b2Mat33 &K = s.mass;
        K.ex.x = mA + mB + m_rA.y * m_rA.y * iA + m_rB.y * m_rB.y * iB;
        K.ey.x = -m_rA.y * m_rA.x * iA - m_rB.y * m_rB.x * iB;
        K.ez.x = -m_rA.y * iA - m_rB.y * iB;
        K.ex.y = K.ey.x;
        K.ey.y = mA + mB + m_rA.x * m_rA.x * iA + m_rB.x * m_rB.x * iB;
        K.ez.y = m_rA.x * iA + m_rB.x * iB;
        K.ex.z = K.ez.x;
        K.ey.z = K.ez.y;
        K.ez.z = iA + iB;

        if (!m_enableMotor || fixed_rotation) s.motor_impulse = 0.0f;

        if (m_enableLimit && !fixed_rotation) {
            const float angle = data.positions[m_indexB].a - data.positions[m_indexA].a -
                                m_referenceAngle;
            int next;
            if (b2Abs(m_upperAngle - m_lowerAngle) < 2.0f * b2_angularSlop) next = LIMIT_EQUAL;
            else if (angle <= m_lowerAngle) next = LIMIT_LOWER;
            else if (angle >= m_upperAngle) next = LIMIT_UPPER;
            else next = LIMIT_INACTIVE;
            // entering a limit (or leaving all) restarts its accumulated impulse
            if (next != LIMIT_EQUAL && (next != s.limit_state || next == LIMIT_INACTIVE))
                s.impulse.z = 0.0f;
            s.limit_state = next;
        } else {
            s.limit_state = LIMIT_INACTIVE;
        }

        b2Vec2 vA = data.velocities[m_indexA].v, vB = data.velocities[m_indexB].v;
        float wA = data.velocities[m_indexA].w, wB = data.velocities[m_indexB].w;
        if (data.step.warmStarting) {
            s.impulse *= data.step.dtRatio;
            s.motor_impulse *= data.step.dtRatio;
            const b2Vec2 P(s.impulse.x, s.impulse.y);
            vA -= mA * P;
            wA -= iA * (b2Cross(m_rA, P) + s.motor_impulse + s.impulse.z);
            vB += mB * P;
            wB += iB * (b2Cross(m_rB, P) + s.motor_impulse + s.impulse.z);
        } else {
            s.impulse.SetZero();
            s.motor_impulse = 0.0f;
        }
        data.velocities[m_indexA].v = vA;
        data.velocities[m_indexA].w = wA;
        data.velocities[m_indexB].v = vB;
        data.velocities[m_indexB].w = wB;
        m_motorImpulse = s.motor_impulse; // for GetMotorTorque

        s.index_a = m_indexA;
        s.index_b = m_indexB;
        s.m_a = mA;
        s.m_b = mB;
        s.i_a = iA;
        s.i_b = iB;
        s.r_a = m_rA;
        s.r_b = m_rB;
        s.motor = m_enableMotor && s.limit_state != LIMIT_EQUAL && !fixed_rotation;
        s.limit = m_enableLimit && s.limit_state != LIMIT_INACTIVE && !fixed_rotation;
        s.motor_speed = m_motorSpeed;
        s.axial_mass = m_axialMass;
        s.max_impulse = data.step.dt * m_maxMotorTorque;
        s.cross_eyez = b2Cross(K.ey, K.ez);
        s.det33 = b2Dot(K.ex, s.cross_eyez);
        if (s.det33 != 0.0f) s.det33 = 1.0f / s.det33;
        s.det22 = K.ex.x * K.ey.y - K.ey.x * K.ex.y;
        if (s.det22 != 0.0f) s.det22 = 1.0f / s.det22;
        s.pair->pending = true;
        s.pair->skip = 0;
    }

    // Box2D calls this velocityIterations times per joint, the two joints alternating; each
    // call depends on the one before through the lander's velocity. When the island has no
    // contact, the step's first call runs every iteration of both joints and the step's later
    // calls return at once: the same operations in the same order, so the same bits.
    // dq_lunar_b2_step_many overlaps several worlds' chains: a world's batched solve steps
    // the next world from here and waits; the last one (lanes full, no world left, or the next
    // world's step solved nothing) runs all that wait, one world per lane (solve_group).
    void SolveVelocityConstraints(const b2SolverData &data) override {
        Joint23State &s = S();
        Joint23Pair &p = *s.pair;
        if (p.skip > 0) {
            p.skip--;
        } else if (p.pending && (p.pending = false, batchable(p, s))) {
            PairSolve job = {&s, p.state[p.state[0] == &s ? 1 : 0], data.velocities,
                             data.step.velocityIterations, false};
            if (Overlap *o = p.overlap) {
                // wait here while the next world steps (it may solve this one with its own),
                // or solve all that wait when the lanes are full or no world is left
                o->waiting[o->n_waiting++] = &job;
                if (o->n_waiting < o->lanes && o->next < o->n) step_next(o);
                if (!job.done) {
                    solve_group(o->waiting, o->n_waiting);
                    o->n_waiting = 0;
                }
            } else {
                solve_pair(job);
            }
            p.skip = 2 * job.iters - 1;
        } else {
            b2Vec2 vA = data.velocities[s.index_a].v, vB = data.velocities[s.index_b].v;
            float wA = data.velocities[s.index_a].w, wB = data.velocities[s.index_b].w;
            solve_velocity23(s, vA, wA, vB, wB);
            data.velocities[s.index_a].v = vA;
            data.velocities[s.index_a].w = wA;
            data.velocities[s.index_b].v = vB;
            data.velocities[s.index_b].w = wB;
        }
        m_motorImpulse = s.motor_impulse;
        m_impulse.Set(s.impulse.x, s.impulse.y); // for GetReactionForce
    }

    // The batched path needs both joints on the same body A (the lander), distinct legs, and
    // an island without contacts.
    static bool batchable(const Joint23Pair &p, const Joint23State &s) {
        if (!p.state[0] || !p.state[1]) return false;
        const Joint23State &t = *p.state[p.state[0] == &s ? 1 : 0];
        return s.index_a == t.index_a && s.index_b != t.index_b && s.index_b != s.index_a &&
               t.index_b != t.index_a && pair_without_contacts(p);
    }

    bool SolvePositionConstraints(const b2SolverData &data) override {
        const Joint23State &s = S();
        b2Vec2 cA = data.positions[m_indexA].c, cB = data.positions[m_indexB].c;
        float aA = data.positions[m_indexA].a, aB = data.positions[m_indexB].a;
        float angular_error = 0.0f;
        const bool fixed_rotation = (m_invIA + m_invIB == 0.0f);

        // the limit state chosen at InitVelocityConstraints decides which side is corrected
        if (m_enableLimit && s.limit_state != LIMIT_INACTIVE && !fixed_rotation) {
            const float angle = aB - aA - m_referenceAngle;
            float C = 0.0f;
            if (s.limit_state == LIMIT_EQUAL) {
                C = b2Clamp(angle - m_lowerAngle, -b2_maxAngularCorrection, b2_maxAngularCorrection);
                angular_error = b2Abs(C);
            } else if (s.limit_state == LIMIT_LOWER) {
                C = angle - m_lowerAngle;
                angular_error = -C;
                C = b2Clamp(C + b2_angularSlop, -b2_maxAngularCorrection, 0.0f);
            } else {
                C = angle - m_upperAngle;
                angular_error = C;
                C = b2Clamp(C - b2_angularSlop, 0.0f, b2_maxAngularCorrection);
            }
            const float limit_impulse = -m_axialMass * C;
            aA -= m_invIA * limit_impulse;
            aB += m_invIB * limit_impulse;
        }

        const b2Rot qA(aA), qB(aB);
        const b2Vec2 rA = b2Mul(qA, m_localAnchorA - m_localCenterA);
        const b2Vec2 rB = b2Mul(qB, m_localAnchorB - m_localCenterB);
        const b2Vec2 C = cB + rB - cA - rA;
        const float position_error = C.Length();
        const float mA = m_invMassA, mB = m_invMassB, iA = m_invIA, iB = m_invIB;
        b2Mat22 K;
        K.ex.x = mA + mB + iA * rA.y * rA.y + iB * rB.y * rB.y;
        K.ex.y = -iA * rA.x * rA.y - iB * rB.x * rB.y;
        K.ey.x = K.ex.y;
        K.ey.y = mA + mB + iA * rA.x * rA.x + iB * rB.x * rB.x;
        const b2Vec2 impulse = -K.Solve(C);
        cA -= mA * impulse;
        aA -= iA * b2Cross(rA, impulse);
        cB += mB * impulse;
        aB += iB * b2Cross(rB, impulse);

        data.positions[m_indexA].c = cA;
        data.positions[m_indexA].a = aA;
        data.positions[m_indexB].c = cB;
        data.positions[m_indexB].a = aB;
        return position_error <= b2_linearSlop && angular_error <= b2_angularSlop;
    }
};

static_assert(sizeof(Joint23) == sizeof(b2RevoluteJoint), "Joint23 must add no data");

// Give a one-polygon body the mass Box2D 2.3 computes for it. 2.3 integrates the polygon about
// its vertex average, 2.4 about its first vertex: the float32 results differ in the last bits
// (lander inertia 0.833314836 vs 0.833314657), enough to show in the replay. The body's centre
// is then what 2.3's ResetMassData derives from it: (mass * centre) / mass.
void set_mass23(b2Body *body, const b2PolygonShape &poly, float density) {
    const int n = poly.m_count;
    b2Vec2 mean(0.0f, 0.0f);
    for (int i = 0; i < n; i++) mean += poly.m_vertices[i];
    mean *= 1.0f / (float)n;
    const float third = 1.0f / 3.0f;
    b2Vec2 center(0.0f, 0.0f);
    float area = 0.0f, inertia = 0.0f;
    for (int i = 0; i < n; i++) {
        const b2Vec2 e1 = poly.m_vertices[i] - mean;
        const b2Vec2 e2 = poly.m_vertices[i + 1 < n ? i + 1 : 0] - mean;
        const float cross = b2Cross(e1, e2);
        const float tri = 0.5f * cross; // signed triangle area
        area += tri;
        center += tri * third * (e1 + e2);
        const float ix = e1.x * e1.x + e2.x * e1.x + e2.x * e2.x;
        const float iy = e1.y * e1.y + e2.y * e1.y + e2.y * e2.y;
        inertia += (0.25f * third * cross) * (ix + iy);
    }
    b2MassData md;
    md.mass = density * area;
    center *= 1.0f / area;
    md.center = center + mean;
    md.I = density * inertia;
    md.I += md.mass * (b2Dot(md.center, md.center) - b2Dot(center, center));
    md.center = (1.0f / md.mass) * (md.mass * md.center);
    body->SetMassData(&md);
}

#ifndef DQ_LUNAR_JOINT24
#define DQ_LUNAR_JOINT24 0
#endif

} // namespace

struct dq_lunar_b2 {
    Listener listener; // declared first: outlives the world that calls it
    b2World world;
    b2Body *bodies[3] = {nullptr, nullptr, nullptr}; // lander, leg i=-1, leg i=+1
    Joint23State joints[2] = {};                      // 2.3 solver state of the leg joints
    Joint23Pair pair;                                 // both, for the batched solve
    explicit dq_lunar_b2(float g) : world(b2Vec2(0.0f, g)) {}
};

namespace {
void step_next(Overlap *o) {
    dq_lunar_b2 *w = o->worlds[o->next++];
    w->pair.overlap = o;
    w->world.Step(o->dt, o->vel_iters, o->pos_iters);
    w->pair.overlap = nullptr;
}
} // namespace

extern "C" {

const double dq_lunar_lander_poly[DQ_LUNAR_LANDER_NV][2] = {
    {-14 / DQ_LUNAR_SCALE, 17 / DQ_LUNAR_SCALE},  {-17 / DQ_LUNAR_SCALE, 0 / DQ_LUNAR_SCALE},
    {-17 / DQ_LUNAR_SCALE, -10 / DQ_LUNAR_SCALE}, {17 / DQ_LUNAR_SCALE, -10 / DQ_LUNAR_SCALE},
    {17 / DQ_LUNAR_SCALE, 0 / DQ_LUNAR_SCALE},    {14 / DQ_LUNAR_SCALE, 17 / DQ_LUNAR_SCALE},
};

dq_lunar_b2 *dq_lunar_b2_create(double gravity, const double *x, const double *y, int n) {
    dq_lunar_b2 *w = new (std::nothrow) dq_lunar_b2((float)gravity);
    if (!w) return nullptr;
    const double W = DQ_LUNAR_VIEWPORT_W / DQ_LUNAR_SCALE;

    // Moon: a static body with the bottom edge (default friction 0.2) and the terrain edges.
    b2BodyDef moon_def;
    b2Body *moon = w->world.CreateBody(&moon_def);
    {
        b2EdgeShape e;
        e.SetTwoSided(b2Vec2(0.0f, 0.0f), b2Vec2((float)W, 0.0f));
        b2FixtureDef fd;
        fd.shape = &e;
        moon->CreateFixture(&fd);
    }
    for (int i = 0; i + 1 < n; i++) {
        b2EdgeShape e;
        e.SetTwoSided(b2Vec2((float)x[i], (float)y[i]), b2Vec2((float)x[i + 1], (float)y[i + 1]));
        b2FixtureDef fd;
        fd.shape = &e;
        fd.density = 0.0f;
        fd.friction = 0.1f;
        moon->CreateFixture(&fd);
    }

    const double initial_y = DQ_LUNAR_VIEWPORT_H / DQ_LUNAR_SCALE;
    const double initial_x = DQ_LUNAR_VIEWPORT_W / DQ_LUNAR_SCALE / 2;

    b2BodyDef ld;
    ld.type = b2_dynamicBody;
    ld.position.Set((float)initial_x, (float)initial_y);
    ld.angle = 0.0f;
    b2Body *lander = w->world.CreateBody(&ld);
    {
        b2Vec2 v[DQ_LUNAR_LANDER_NV];
        for (int k = 0; k < DQ_LUNAR_LANDER_NV; k++)
            v[k].Set((float)dq_lunar_lander_poly[k][0], (float)dq_lunar_lander_poly[k][1]);
        b2PolygonShape poly;
        poly.Set(v, DQ_LUNAR_LANDER_NV);
        b2FixtureDef fd;
        fd.shape = &poly;
        fd.density = 5.0f;
        fd.friction = 0.1f;
        fd.filter.categoryBits = 0x0010;
        fd.filter.maskBits = 0x001;
        fd.restitution = 0.0f;
        lander->CreateFixture(&fd);
        if (!DQ_LUNAR_JOINT24) set_mass23(lander, poly, fd.density);
    }
    w->bodies[0] = lander;

    for (int k = 0; k < 2; k++) {
        const int i = k == 0 ? -1 : +1;
        b2BodyDef bd;
        bd.type = b2_dynamicBody;
        bd.position.Set((float)(initial_x - i * DQ_LUNAR_LEG_AWAY / DQ_LUNAR_SCALE),
                        (float)initial_y);
        bd.angle = (float)(i * 0.05);
        b2Body *leg = w->world.CreateBody(&bd);
        b2PolygonShape box;
        box.SetAsBox((float)(DQ_LUNAR_LEG_W / DQ_LUNAR_SCALE), (float)(DQ_LUNAR_LEG_H / DQ_LUNAR_SCALE));
        b2FixtureDef fd;
        fd.shape = &box;
        fd.density = 1.0f;
        fd.restitution = 0.0f;
        fd.filter.categoryBits = 0x0020;
        fd.filter.maskBits = 0x001;
        leg->CreateFixture(&fd);
        if (!DQ_LUNAR_JOINT24) set_mass23(leg, box, fd.density);

        b2RevoluteJointDef rjd;
        rjd.bodyA = lander;
        rjd.bodyB = leg;
        rjd.localAnchorA.Set(0.0f, 0.0f);
        rjd.localAnchorB.Set((float)(i * DQ_LUNAR_LEG_AWAY / DQ_LUNAR_SCALE),
                             (float)(DQ_LUNAR_LEG_DOWN / DQ_LUNAR_SCALE));
        // pybox2d's revoluteJointDef(bodyA=, bodyB=) sets referenceAngle to the bodies'
        // relative angle (here i * 0.05) when it is not given: the limits are relative to it.
        rjd.referenceAngle = (float)((double)leg->GetAngle() - (double)lander->GetAngle());
        rjd.enableMotor = true;
        rjd.enableLimit = true;
        rjd.maxMotorTorque = (float)DQ_LUNAR_LEG_SPRING_TORQUE;
        rjd.motorSpeed = (float)(0.3 * i);
        if (i == -1) {
            rjd.lowerAngle = (float)(0.9 - 0.5);
            rjd.upperAngle = 0.9f;
        } else {
            rjd.lowerAngle = -0.9f;
            rjd.upperAngle = (float)(-0.9 + 0.5);
        }
        w->joints[k].limit_state = LIMIT_INACTIVE;
        w->joints[k].pair = &w->pair;
        w->pair.state[k] = &w->joints[k];
        rjd.userData.pointer = reinterpret_cast<uintptr_t>(&w->joints[k]);
        b2Joint *joint = w->world.CreateJoint(&rjd);
        if (!DQ_LUNAR_JOINT24) {
            // Re-type the joint as Joint23 (same layout): copy its dispatch pointer.
            const Joint23 proto(&rjd);
            std::memcpy(static_cast<void *>(joint), static_cast<const void *>(&proto),
                        sizeof(void *));
        }
        w->bodies[1 + k] = leg;
    }

    w->pair.bodies = w->bodies;
    w->listener.lander = lander;
    w->listener.legs[0] = w->bodies[1];
    w->listener.legs[1] = w->bodies[2];
    w->world.SetContactListener(&w->listener);
    return w;
}

void dq_lunar_b2_destroy(dq_lunar_b2 *w) { delete w; }

void dq_lunar_b2_force_center(dq_lunar_b2 *w, double fx, double fy) {
    w->bodies[0]->ApplyForceToCenter(b2Vec2((float)fx, (float)fy), true);
}

void dq_lunar_b2_torque(dq_lunar_b2 *w, double t) { w->bodies[0]->ApplyTorque((float)t, true); }

void dq_lunar_b2_impulse(dq_lunar_b2 *w, double ix, double iy, double px, double py) {
    w->bodies[0]->ApplyLinearImpulse(b2Vec2((float)ix, (float)iy), b2Vec2((float)px, (float)py),
                                     true);
}

void dq_lunar_b2_step(dq_lunar_b2 *w, double dt, int vel_iters, int pos_iters) {
    w->world.Step((float)dt, vel_iters, pos_iters);
}

void dq_lunar_b2_step_many(dq_lunar_b2 *const *w, int n, int lanes, double dt, int vel_iters,
                           int pos_iters) {
    const int most = group_lanes();
    lanes = lanes <= 0 || lanes > most ? most : lanes;
    Overlap o = {w, n, 0, {}, 0, lanes, (float)dt, vel_iters, pos_iters};
    while (o.next < n) step_next(&o); // each step may step the following ones
}

void dq_lunar_b2_body(const dq_lunar_b2 *w, int which, dq_lunar_body *out) {
    const b2Body *b = w->bodies[which];
    const b2Vec2 &p = b->GetPosition();
    const b2Vec2 &v = b->GetLinearVelocity();
    out->x = p.x;
    out->y = p.y;
    out->angle = b->GetAngle();
    out->vx = v.x;
    out->vy = v.y;
    out->omega = b->GetAngularVelocity();
    out->awake = b->IsAwake();
}

bool dq_lunar_b2_game_over(const dq_lunar_b2 *w) { return w->listener.game_over; }

bool dq_lunar_b2_leg_contact(const dq_lunar_b2 *w, int i) { return w->listener.leg_contact[i]; }

} // extern "C"
