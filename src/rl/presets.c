/* presets.c — the built-in hyperparameter presets as YAML text in RL-Zoo's layout (keyed by env
 * id, with a `default` entry for other envs), applied with dq_config_apply_preset.
 *   zoo       RL-Zoo's tuned DQN (rl_zoo3 2.9 hyperparams/dqn.yml), values copied as published
 *   tutorial  the CLAI seed's CartPole run (64x64, Adam 1e-3, MSE, hard target every 10 steps)
 *             and its FlappyBird run (LIDAR, 256 float64 units, hard target every 250 steps)
 *   notes     the Q-learning notes' LunarLander Double DQN (Polyak 0.005, exponential epsilon)
 *   deepq     tuned here for quality per second (see docs/BENCHMARKS.md, ## DQN)
 *   rainbow   every Rainbow extension on the deepq base (see docs/BENCHMARKS.md, ## Rainbow) */
#include <stdio.h>
#include <string.h>

#include "deepq/config.h"

typedef struct preset {
    const char *name, *summary, *yaml;
} preset;

static const preset PRESETS[] = {
    {"deepq", "deepq's tuned DQN (default): Double DQN, Polyak 0.005 every step, MSE",
     "default: &deepq\n"
     "  n_timesteps: 100000\n"
     "  learning_rate: 0.001\n"
     "  batch_size: 64\n"
     "  buffer_size: 100000\n"
     "  learning_starts: 1000\n"
     "  gamma: 0.99\n"
     "  target_update_interval: 1\n"
     "  tau: 0.005\n"
     "  train_freq: 1\n"
     "  gradient_steps: 1\n"
     "  exploration_fraction: 0.1\n"
     "  exploration_initial_eps: 1.0\n"
     "  exploration_final_eps: 0.04\n"
     "  net_arch: [64, 64]\n"
     "  double_q: true\n"
     "  loss: mse\n"
     "  max_grad_norm: 0\n"
     "CartPole-v1:\n"
     "  <<: *deepq\n"
     "  n_timesteps: 50000\n"
     "LunarLander-v3:\n"
     "  n_timesteps: 200000\n"
     "  learning_rate: lin_1e-3\n"
     "  batch_size: 128\n"
     "  buffer_size: 100000\n"
     "  learning_starts: 0\n"
     "  gamma: 0.99\n"
     "  target_update_interval: 1\n"
     "  tau: 0.005\n"
     "  train_freq: 4\n"
     "  gradient_steps: -1\n"
     "  exploration_fraction: 0.12\n"
     "  exploration_initial_eps: 1.0\n"
     "  exploration_final_eps: 0.05\n"
     "  net_arch: [128, 128]\n"
     "  double_q: true\n"
     "  loss: huber\n"
     "  max_grad_norm: 10\n"
     "Acrobot-v1:\n" /* the default + 256x256, 3-step returns, lr decaying linearly to 0 */
     "  <<: *deepq\n"
     "  learning_rate: lin_1e-3\n"
     "  net_arch: [256, 256]\n"
     "  n_step: 3\n"
     "MountainCar-v0:\n" /* RL-Zoo's entry + Double DQN, 3-step returns, lr decaying to 0 */
     "  n_timesteps: 120000\n"
     "  learning_rate: lin_4e-3\n"
     "  batch_size: 128\n"
     "  buffer_size: 10000\n"
     "  learning_starts: 1000\n"
     "  gamma: 0.98\n"
     "  target_update_interval: 600\n"
     "  tau: 1.0\n"
     "  train_freq: 16\n"
     "  gradient_steps: 8\n"
     "  exploration_fraction: 0.2\n"
     "  exploration_initial_eps: 1.0\n"
     "  exploration_final_eps: 0.07\n"
     "  net_arch: [256, 256]\n"
     "  double_q: true\n"
     "  n_step: 3\n"
     "  loss: huber\n"
     "  max_grad_norm: 10\n"
     "FlappyBird-v0:\n" /* the 12 features instead of the LIDAR, 128x128, epsilon down to 0.01 */
     "  <<: *deepq\n"
     "  env_kwargs: {use_lidar: false}\n"
     "  n_timesteps: 200000\n"
     "  net_arch: [128, 128]\n"
     "  exploration_final_eps: 0.01\n"},
    {"zoo", "RL-Zoo's tuned DQN (rl_zoo3 hyperparams/dqn.yml, as published)",
     "default:\n"
     "  n_timesteps: !!float 1e6\n"
     "  policy: 'MlpPolicy'\n"
     "CartPole-v1:\n"
     "  n_timesteps: !!float 5e4\n"
     "  policy: 'MlpPolicy'\n"
     "  learning_rate: !!float 2.3e-3\n"
     "  batch_size: 64\n"
     "  buffer_size: 100000\n"
     "  learning_starts: 1000\n"
     "  gamma: 0.99\n"
     "  target_update_interval: 10\n"
     "  train_freq: 256\n"
     "  gradient_steps: 128\n"
     "  exploration_fraction: 0.16\n"
     "  exploration_final_eps: 0.04\n"
     "  policy_kwargs: \"dict(net_arch=[256, 256])\"\n"
     "MountainCar-v0:\n"
     "  n_timesteps: !!float 1.2e5\n"
     "  policy: 'MlpPolicy'\n"
     "  learning_rate: !!float 4e-3\n"
     "  batch_size: 128\n"
     "  buffer_size: 10000\n"
     "  learning_starts: 1000\n"
     "  gamma: 0.98\n"
     "  target_update_interval: 600\n"
     "  train_freq: 16\n"
     "  gradient_steps: 8\n"
     "  exploration_fraction: 0.2\n"
     "  exploration_final_eps: 0.07\n"
     "  policy_kwargs: \"dict(net_arch=[256, 256])\"\n"
     "LunarLander-v3:\n"
     "  n_timesteps: !!float 1e5\n"
     "  policy: 'MlpPolicy'\n"
     "  learning_rate: !!float 6.3e-4\n"
     "  batch_size: 128\n"
     "  buffer_size: 50000\n"
     "  learning_starts: 0\n"
     "  gamma: 0.99\n"
     "  target_update_interval: 250\n"
     "  train_freq: 4\n"
     "  gradient_steps: -1\n"
     "  exploration_fraction: 0.12\n"
     "  exploration_final_eps: 0.1\n"
     "  policy_kwargs: \"dict(net_arch=[256, 256])\"\n"
     "Acrobot-v1:\n"
     "  n_timesteps: !!float 1e5\n"
     "  policy: 'MlpPolicy'\n"
     "  learning_rate: !!float 6.3e-4\n"
     "  batch_size: 128\n"
     "  buffer_size: 50000\n"
     "  learning_starts: 0\n"
     "  gamma: 0.99\n"
     "  target_update_interval: 250\n"
     "  train_freq: 4\n"
     "  gradient_steps: -1\n"
     "  exploration_fraction: 0.12\n"
     "  exploration_final_eps: 0.1\n"
     "  policy_kwargs: \"dict(net_arch=[256, 256])\"\n"},
    {"tutorial",
     "the CLAI seed tutorial's DQN: CartPole 64x64 80k steps; FlappyBird LIDAR, 256 float64, 500k",
     "default:\n"
     "  n_timesteps: 80000\n"
     "  learning_rate: 0.001\n"
     "  batch_size: 64\n"
     "  buffer_size: 100000\n"
     "  learning_starts: 1000\n"
     "  gamma: 0.99\n"
     "  target_update_interval: 10\n"
     "  tau: 1.0\n"
     "  train_freq: 2\n"
     "  gradient_steps: 1\n"
     "  exploration_schedule: linear\n"
     "  exploration_initial_eps: 1.0\n"
     "  exploration_final_eps: 0.04\n"
     "  exploration_fraction: 0.1\n"
     "  net_arch: [64, 64]\n"
     "  loss: mse\n"
     "  max_grad_norm: 0\n"
     "FlappyBird-v0:\n" /* the seed tutorial's run: 180-ray LIDAR, one float64 layer of 256 */
     "  n_timesteps: 500000\n"
     "  learning_rate: 0.001\n"
     "  batch_size: 128\n"
     "  buffer_size: 100000\n"
     "  learning_starts: 10000\n"
     "  gamma: 0.98\n"
     "  target_update_interval: 250\n"
     "  tau: 1.0\n"
     "  train_freq: 4\n"
     "  gradient_steps: 1\n"
     "  exploration_schedule: linear\n"
     "  exploration_initial_eps: 1.0\n"
     "  exploration_final_eps: 0.03\n"
     "  exploration_fraction: 0.1\n"
     "  net_arch: [256]\n"
     "  dtype: float64\n"
     "  loss: mse\n"
     "  max_grad_norm: 0\n"},
    {"notes", "the Q-learning notes' LunarLander Double DQN: 64x64, Adam 1e-4, Polyak 0.005",
     "default:\n"
     "  n_timesteps: 200000\n"
     "  learning_rate: 0.0001\n"
     "  batch_size: 64\n"
     "  buffer_size: 10000\n"
     "  learning_starts: 64\n"
     "  gamma: 0.99\n"
     "  target_update_interval: 1\n"
     "  tau: 0.005\n"
     "  train_freq: 1\n"
     "  gradient_steps: 1\n"
     "  exploration_schedule: exponential\n"
     "  exploration_initial_eps: 0.9\n"
     "  exploration_final_eps: 0.05\n"
     "  exploration_decay: 1000\n"
     "  net_arch: [64, 64]\n"
     "  double_q: true\n"
     "  loss: mse\n"
     "  max_grad_norm: 0\n"},
    {"rainbow", "Rainbow: Double + PER + 3-step + dueling + C51 + noisy nets (deepq/dqn.h)",
     "default: &rainbow\n"
     "  n_timesteps: 100000\n"
     "  buffer_size: 100000\n"
     "  v_min: -200\n"
     "  v_max: 200\n"
     "  learning_rate: 0.001\n"
     "  batch_size: 64\n"
     "  learning_starts: 1000\n"
     "  gamma: 0.99\n"
     "  target_update_interval: 500\n"
     "  train_freq: 1\n"
     "  gradient_steps: 1\n"
     "  net_arch: [64, 64]\n"
     "  double_q: true\n"
     "  prioritized_replay: true\n"
     "  per_alpha: 0.5\n"
     "  per_beta0: 0.4\n"
     "  n_step: 3\n"
     "  dueling: true\n"
     "  distributional: true\n"
     "  c51_atoms: 51\n"
     "  noisy: true\n"
     "  noisy_sigma0: 0.5\n"
     "CartPole-v1:\n"
     "  <<: *rainbow\n"
     "  n_timesteps: 30000\n"
     "  buffer_size: 50000\n"
     "  v_min: 0\n"
     "  v_max: 100\n"
     "Acrobot-v1:\n"
     "  <<: *rainbow\n"
     "  n_timesteps: 50000\n"
     "  buffer_size: 50000\n"
     "  v_min: -100\n"
     "  v_max: 0\n"},
};
enum { N_PRESETS = sizeof PRESETS / sizeof PRESETS[0] };

int dq_preset_count(void) { return N_PRESETS; }
const char *dq_preset_name(int i) { return PRESETS[i].name; }
const char *dq_preset_summary(int i) { return PRESETS[i].summary; }
const char *dq_preset_yaml(int i) { return PRESETS[i].yaml; }

dq_status dq_config_apply_preset(dq_run_config *c, const char *name, const char *env_id,
                                 dq_error *err) {
    for (int i = 0; i < N_PRESETS; i++) {
        if (strcmp(PRESETS[i].name, name)) continue;
        char label[80];
        snprintf(label, sizeof label, "preset:%s", name);
        dq_status st = dq_config_apply_yaml(c, PRESETS[i].yaml, label, env_id, err);
        if (!st) snprintf(c->preset, sizeof c->preset, "%s", name);
        return st;
    }
    return dq_fail(err, DQ_ENOTFOUND, "unknown preset '%s' (deepq, zoo, tutorial, notes, rainbow)", name);
}
