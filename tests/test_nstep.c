/* test_nstep.c — n-step transitions from the stream accumulator against a brute-force
 * computation over whole hand-made and random episodes ending in termination or truncation. */
#include "deepq/nstep.h"
#include "deepq/rng.h"
#include "test.h"

#include <string.h>

enum { D = 3, MAXL = 40 };

typedef struct episode {
    int len;               /* steps */
    bool term;             /* ends by termination (else truncation) */
    float s[MAXL + 1][D];  /* s_0 .. s_len */
    float r[MAXL];
} episode;

/* Run the accumulator over ep and compare each emitted transition to brute force. */
static void check_episode(dq_nstep *ns, const episode *ep) {
    const int n = ns->n;
    const double g = ns->gamma;
    dq_nstep_out out[DQ_NSTEP_MAX];
    int t_next = 0; /* next start index we expect to see emitted */
    for (int t = 0; t < ep->len; t++) {
        const bool last = t == ep->len - 1;
        int m = dq_nstep_push(ns, ep->s[t], 100 + t, ep->r[t], ep->s[t + 1], last && ep->term,
                              last && !ep->term, out);
        if (!last) CHECK(m == (t + 1 >= n ? 1 : 0));
        for (int i = 0; i < m; i++, t_next++) {
            const int s = t_next;
            const int k = ep->len - s < n ? ep->len - s : n;
            double R = 0, gk = 1;
            for (int j = 0; j < k; j++, gk *= g) R += gk * ep->r[s + j];
            const bool ends = s + k == ep->len;
            CHECK(out[i].action == 100 + s);
            CHECK(memcmp(out[i].obs, ep->s[s], sizeof ep->s[s]) == 0);
            CHECK(memcmp(out[i].next_obs, ep->s[s + k], sizeof ep->s[s]) == 0);
            CHECK(out[i].k == k);
            CHECK_NEAR(out[i].reward, R, 1e-5 * (1 + fabs(R)));
            CHECK(out[i].terminated == (ends && ep->term));
            CHECK(out[i].truncated == (ends && !ep->term));
            CHECK_NEAR(out[i].discount, (ends && ep->term) ? 0.0 : pow(g, k), 1e-15);
        }
    }
    CHECK(t_next == ep->len); /* every step emitted exactly once */
    CHECK(ns->count == 0);
}

static void fill(episode *ep, int len, bool term, dq_rng *r) {
    ep->len = len;
    ep->term = term;
    for (int t = 0; t <= len; t++)
        for (int d = 0; d < D; d++) ep->s[t][d] = (float)(t * 10 + d) + (float)dq_rng_uniform(r);
    for (int t = 0; t < len; t++) ep->r[t] = (float)dq_rng_range(r, -2, 2);
}

int main(void) {
    dq_rng r;
    dq_rng_seed(&r, 9);
    episode ep;
    dq_nstep ns;

    /* Hand-made: n = 3, gamma 0.5, rewards 1,2,4,8,16 then termination. */
    CHECK_OK(dq_nstep_init(&ns, 3, 0.5, D, NULL));
    fill(&ep, 5, true, &r);
    for (int t = 0; t < 5; t++) ep.r[t] = (float)(1 << t);
    {
        dq_nstep_out out[3];
        CHECK(dq_nstep_push(&ns, ep.s[0], 0, ep.r[0], ep.s[1], false, false, out) == 0);
        CHECK(dq_nstep_push(&ns, ep.s[1], 1, ep.r[1], ep.s[2], false, false, out) == 0);
        CHECK(dq_nstep_push(&ns, ep.s[2], 2, ep.r[2], ep.s[3], false, false, out) == 1);
        CHECK(out[0].reward == 3.0f && out[0].k == 3 && out[0].discount == 0.125); /* 1+1+1 */
        CHECK(dq_nstep_push(&ns, ep.s[3], 3, ep.r[3], ep.s[4], false, false, out) == 1);
        CHECK(out[0].reward == 6.0f && out[0].next_obs == ep.s[4]);               /* 2+2+2 */
        CHECK(dq_nstep_push(&ns, ep.s[4], 4, ep.r[4], ep.s[5], true, false, out) == 3);
        CHECK(out[0].reward == 12.0f && out[0].k == 3 && out[0].discount == 0.0); /* 4+4+4 */
        CHECK(out[1].reward == 16.0f && out[1].k == 2 && out[1].terminated);      /* 8+8 */
        CHECK(out[2].reward == 16.0f && out[2].k == 1 && out[2].action == 4);
        CHECK(out[2].next_obs == ep.s[5]);
        /* The same episode truncated instead: bootstrap gamma^k with the k each one has. */
        for (int t = 0; t < 4; t++) dq_nstep_push(&ns, ep.s[t], t, ep.r[t], ep.s[t + 1], 0, 0, out);
        CHECK(dq_nstep_push(&ns, ep.s[4], 4, ep.r[4], ep.s[5], false, true, out) == 3);
        CHECK(out[0].discount == 0.125 && out[1].discount == 0.25 && out[2].discount == 0.5);
        CHECK(out[0].truncated && !out[0].terminated && out[2].truncated);
        /* Terminated and truncated at once: termination wins (no bootstrap). */
        CHECK(dq_nstep_push(&ns, ep.s[0], 0, 1.0f, ep.s[1], true, true, out) == 1);
        CHECK(out[0].terminated && !out[0].truncated && out[0].discount == 0.0);
    }
    dq_nstep_free(&ns);

    /* Brute force over many random episodes (shorter and longer than n) and several n. */
    const int ns_list[] = {1, 2, 3, 5, 8};
    for (int c = 0; c < 5; c++) {
        CHECK_OK(dq_nstep_init(&ns, ns_list[c], 0.97, D, NULL));
        for (int e = 0; e < 60; e++) {
            fill(&ep, 1 + (int)dq_rng_below(&r, MAXL), dq_rng_uniform(&r) < 0.5, &r);
            check_episode(&ns, &ep);
        }
        dq_nstep_free(&ns);
    }

    /* Clear drops a partial episode. */
    CHECK_OK(dq_nstep_init(&ns, 4, 0.9, D, NULL));
    dq_nstep_out out[4];
    dq_nstep_push(&ns, ep.s[0], 0, 1.0f, ep.s[1], false, false, out);
    dq_nstep_clear(&ns);
    CHECK(ns.count == 0);
    dq_nstep_free(&ns);
    dq_nstep_free(NULL);

    dq_error err;
    CHECK(dq_nstep_init(&ns, 0, 0.9, D, &err) == DQ_EINVAL);
    CHECK(strstr(err.msg, "n_step") != NULL);
    CHECK(dq_nstep_init(&ns, 3, 1.5, D, &err) == DQ_EINVAL);
    TEST_MAIN_END();
}
