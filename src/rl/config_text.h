/* config_text.h — the value parsers shared by the run configurations' key tables (config.c for
 * DQN, cont_config.c for the continuous-action agents): list and quote handling and numbers in
 * the forms RL-Zoo writes. Library-internal; messages name the value, not the key (the caller
 * prefixes the key and, for YAML, the file:line). */
#ifndef DQ_RL_CONFIG_TEXT_H
#define DQ_RL_CONFIG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "deepq/common.h"

/* Strip leading and trailing white space in place. */
void dq_cfg_trim(char *s);
/* Trim, then strip one pair of matching quotes. */
void dq_cfg_unquote(char *s);
/* Copy string value v into dst[cap]; refused with too_long (never cut) when it does not fit. */
dq_status dq_cfg_str(char *dst, size_t cap, const char *v, const char *too_long, dq_error *err);
/* A --set value for key into v[cap], unquoted; refused (never cut) when it does not fit. */
dq_status dq_cfg_cli_value(char *v, size_t cap, const char *key, const char *value,
                           dq_error *err);
/* "[a, b]" / "(a, b)" / "a, b" -> items (in place in buf, unquoted); count, or -1 when there
 * are more than cap. */
int dq_cfg_split_list(char *buf, char **items, int cap);
/* A finite number as RL-Zoo writes one (1e-3, 1_000). */
dq_status dq_cfg_f64(const char *s, double *out, dq_error *err);
/* An integer in lo..hi, also written as a float (RL-Zoo's !!float 1e5). */
dq_status dq_cfg_int(const char *s, int64_t lo, int64_t hi, int64_t *out, dq_error *err);
/* s as a YAML double-quoted scalar: "..." with \" \\ and \xNN for control bytes, which a YAML
 * reader gives back as s byte for byte (UTF-8 passes through). Fits when cap >= 4 strlen(s) + 3;
 * a longer s is cut at a whole escape (the key setters bound every string far below that). */
void dq_cfg_yaml_quoted(char *buf, size_t cap, const char *s);
/* s as config.yml writes it: plain when that cannot read back as anything else (non-empty;
 * letters, digits and _-./+ only; not starting with - . or +), else dq_cfg_yaml_quoted. */
void dq_cfg_yaml_string(char *buf, size_t cap, const char *s);
/* true/false as YAML 1.1 and Python write them (True, yes, on, 1 / False, no, off, 0). */
dq_status dq_cfg_bool(const char *s, bool *out, dq_error *err);

#endif
