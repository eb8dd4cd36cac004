/* config_text.c — value parsers shared by the DQN and continuous-action key tables
 * (config_text.h). */
#include "config_text.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void dq_cfg_trim(char *s) {
    size_t n = strlen(s), i = 0;
    while (i < n && isspace((unsigned char)s[i])) i++;
    while (n > i && isspace((unsigned char)s[n - 1])) n--;
    memmove(s, s + i, n - i);
    s[n - i] = '\0';
}

void dq_cfg_unquote(char *s) {
    dq_cfg_trim(s);
    size_t n = strlen(s);
    if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
        memmove(s, s + 1, n - 2);
        s[n - 2] = '\0';
    }
}

dq_status dq_cfg_str(char *dst, size_t cap, const char *v, const char *too_long, dq_error *err) {
    if (strlen(v) >= cap) return dq_fail(err, DQ_EINVAL, "%s", too_long);
    snprintf(dst, cap, "%s", v);
    return DQ_OK;
}

dq_status dq_cfg_cli_value(char *v, size_t cap, const char *key, const char *value,
                           dq_error *err) {
    if (strlen(value) >= cap)
        return dq_fail(err, DQ_EINVAL, "key '%s': value longer than %zu characters", key,
                       cap - 1);
    snprintf(v, cap, "%s", value);
    dq_cfg_unquote(v);
    return DQ_OK;
}

void dq_cfg_yaml_quoted(char *buf, size_t cap, const char *s) {
    size_t k = 0;
    if (cap < 3) {
        if (cap) buf[0] = '\0';
        return;
    }
    buf[k++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[5];
        int n;
        if (*p == '"' || *p == '\\') n = snprintf(esc, sizeof esc, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f) n = snprintf(esc, sizeof esc, "\\x%02x", *p);
        else esc[0] = (char)*p, esc[1] = '\0', n = 1;
        if (k + (size_t)n + 2 > cap) break; /* room for the closing quote and the NUL */
        memcpy(buf + k, esc, (size_t)n);
        k += (size_t)n;
    }
    buf[k++] = '"';
    buf[k] = '\0';
}

void dq_cfg_yaml_string(char *buf, size_t cap, const char *s) {
    bool plain = *s && !strchr("-.+", s[0]);
    for (const char *p = s; plain && *p; p++)
        plain = isalnum((unsigned char)*p) || strchr("_-./+", *p);
    if (plain) snprintf(buf, cap, "%s", s);
    else dq_cfg_yaml_quoted(buf, cap, s);
}

int dq_cfg_split_list(char *buf, char **items, int cap) {
    dq_cfg_trim(buf);
    size_t n = strlen(buf);
    if (n >= 2 && ((buf[0] == '[' && buf[n - 1] == ']') || (buf[0] == '(' && buf[n - 1] == ')'))) {
        buf[n - 1] = '\0';
        memmove(buf, buf + 1, n - 1);
    }
    dq_cfg_trim(buf);
    if (!*buf) return 0;
    int k = 0;
    for (char *p = buf;;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (k == cap) return -1;
        dq_cfg_unquote(p);
        items[k++] = p;
        if (!comma) break;
        p = comma + 1;
    }
    return k;
}

dq_status dq_cfg_f64(const char *s, double *out, dq_error *err) {
    if (!dq_parse_f64(s, out)) return dq_fail(err, DQ_EINVAL, "'%s' is not a number", s);
    return DQ_OK;
}

dq_status dq_cfg_int(const char *s, int64_t lo, int64_t hi, int64_t *out, dq_error *err) {
    double d;
    int64_t v;
    if (!dq_parse_f64(s, &d)) return dq_fail(err, DQ_EINVAL, "'%s' is not a number", s);
    if (!dq_parse_i64(s, &v)) return dq_fail(err, DQ_EINVAL, "'%s' is not an integer", s);
    if (v < lo || v > hi)
        return dq_fail(err, DQ_EINVAL, "'%s' is out of range (%lld..%lld)", s, (long long)lo,
                       (long long)hi);
    *out = v;
    return DQ_OK;
}

dq_status dq_cfg_bool(const char *s, bool *out, dq_error *err) {
    static const char *t[] = {"true", "True", "TRUE", "yes", "Yes", "on", "1"};
    static const char *f[] = {"false", "False", "FALSE", "no", "No", "off", "0"};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        if (!strcmp(s, t[i])) return *out = true, DQ_OK;
        if (!strcmp(s, f[i])) return *out = false, DQ_OK;
    }
    return dq_fail(err, DQ_EINVAL, "'%s' is not a boolean (true or false)", s);
}
