/* lunar_box2d.cpp — the only C++ in deepq: a thin extern "C" wrapper over Debian's Box2D 2.4
 * that builds LunarLander-v3's world exactly as Gymnasium 1.0.0 builds it with pybox2d
 * (ground edges, lander polygon, two legs on motorised, limited revolute joints, a contact
 * listener for game_over and leg contacts). All game logic is in lunar.c.
 *
 * Values arrive as double (Python floats) and are rounded to Box2D's float32 where pybox2d
 * rounds them: at the call boundary. */
#include <box2d/box2d.h>

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

} // namespace

struct dq_lunar_b2 {
    Listener listener; // declared first: outlives the world that calls it
    b2World world;
    b2Body *bodies[3] = {nullptr, nullptr, nullptr}; // lander, leg i=-1, leg i=+1
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
        w->world.CreateJoint(&rjd);
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
