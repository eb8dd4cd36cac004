/* lunar_box2d.cpp — the only C++ in deepq: a thin extern "C" wrapper over Debian's Box2D 2.4
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
 * v += h * invMass * (mass * g + F) where 2.3 has v += h * (g + invMass * F), ~1e-7 per step. */
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

// Solver state of one Joint23 that does not fit in b2RevoluteJoint's fields.
struct Joint23State {
    b2Vec3 impulse;        // point (x, y) and limit (z) accumulated impulses
    float motor_impulse;   // accumulated motor impulse
    int limit_state;       // Limit below
    b2Mat33 mass;          // 3x3 effective-mass matrix of point + angle
};

enum Limit { LIMIT_INACTIVE, LIMIT_LOWER, LIMIT_UPPER, LIMIT_EQUAL };

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
    }

    void SolveVelocityConstraints(const b2SolverData &data) override {
        Joint23State &s = S();
        b2Vec2 vA = data.velocities[m_indexA].v, vB = data.velocities[m_indexB].v;
        float wA = data.velocities[m_indexA].w, wB = data.velocities[m_indexB].w;
        const float mA = m_invMassA, mB = m_invMassB, iA = m_invIA, iB = m_invIB;
        const bool fixed_rotation = (iA + iB == 0.0f);

        if (m_enableMotor && s.limit_state != LIMIT_EQUAL && !fixed_rotation) {
            const float Cdot = wB - wA - m_motorSpeed;
            float impulse = -m_axialMass * Cdot;
            const float old = s.motor_impulse, max_impulse = data.step.dt * m_maxMotorTorque;
            s.motor_impulse = b2Clamp(s.motor_impulse + impulse, -max_impulse, max_impulse);
            impulse = s.motor_impulse - old;
            wA -= iA * impulse;
            wB += iB * impulse;
        }

        if (m_enableLimit && s.limit_state != LIMIT_INACTIVE && !fixed_rotation) {
            // point and angle together; a limit impulse may only push away from the limit
            const b2Vec2 Cdot1 = vB + b2Cross(wB, m_rB) - vA - b2Cross(wA, m_rA);
            const float Cdot2 = wB - wA;
            b2Vec3 impulse = -s.mass.Solve33(b2Vec3(Cdot1.x, Cdot1.y, Cdot2));
            const float z_new = s.impulse.z + impulse.z;
            const bool clamp = (s.limit_state == LIMIT_LOWER && z_new < 0.0f) ||
                               (s.limit_state == LIMIT_UPPER && z_new > 0.0f);
            if (clamp) {
                // drop the limit impulse to zero and solve the point constraint alone
                const b2Vec2 rhs = -Cdot1 + s.impulse.z * b2Vec2(s.mass.ez.x, s.mass.ez.y);
                const b2Vec2 reduced = s.mass.Solve22(rhs);
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
            wA -= iA * (b2Cross(m_rA, P) + impulse.z);
            vB += mB * P;
            wB += iB * (b2Cross(m_rB, P) + impulse.z);
        } else {
            const b2Vec2 Cdot = vB + b2Cross(wB, m_rB) - vA - b2Cross(wA, m_rA);
            const b2Vec2 impulse = s.mass.Solve22(-Cdot);
            s.impulse.x += impulse.x;
            s.impulse.y += impulse.y;
            vA -= mA * impulse;
            wA -= iA * b2Cross(m_rA, impulse);
            vB += mB * impulse;
            wB += iB * b2Cross(m_rB, impulse);
        }
        data.velocities[m_indexA].v = vA;
        data.velocities[m_indexA].w = wA;
        data.velocities[m_indexB].v = vB;
        data.velocities[m_indexB].w = wB;
        m_motorImpulse = s.motor_impulse;
        m_impulse.Set(s.impulse.x, s.impulse.y); // for GetReactionForce
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
    explicit dq_lunar_b2(float g) : world(b2Vec2(0.0f, g)) {}
};

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
