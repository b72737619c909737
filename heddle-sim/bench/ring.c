/* A fast trivial Maelstrom node for benchmarks: after init it puts TOKENS (argv[1], default 200)
 * "ping" messages on a ring n0 -> n1 -> ... and forwards every ping it receives to the next node.
 * It reads and writes in large chunks, one write per chunk read, so the simulator is the bottleneck. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char out[1 << 20];
static size_t outlen;
static char me[64], next[64];

static void emit(const char *s, size_t n) {
  if (outlen + n > sizeof out) { if (write(1, out, outlen) < 0) exit(1); outlen = 0; }
  memcpy(out + outlen, s, n);
  outlen += n;
}

static void ping(void) {
  char buf[160];
  int n = snprintf(buf, sizeof buf, "{\"src\":\"%s\",\"dest\":\"%s\",\"body\":{\"type\":\"ping\"}}\n", me, next);
  emit(buf, (size_t) n);
}

static void init(const char *line, int tokens) {
  const char *p = strstr(line, "\"node_id\":\"");
  const char *src = strstr(line, "\"src\":\"");
  const char *mid = strstr(line, "\"msg_id\":");
  const char *ids = strstr(line, "\"node_ids\":[");
  if (!p || !src || !mid || !ids) return;
  sscanf(p + 11, "%63[^\"]", me);
  char client[64];
  sscanf(src + 7, "%63[^\"]", client);
  long msg_id = atol(mid + 9);
  int count = 0;
  for (const char *q = ids + 12; *q && *q != ']'; q++) if (*q == '"') count++;
  count /= 2;
  int index = atoi(me + 1);
  snprintf(next, sizeof next, "n%d", count ? (index + 1) % count : 0);
  char buf[200];
  int n = snprintf(buf, sizeof buf, "{\"src\":\"%s\",\"dest\":\"%s\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":%ld}}\n", me, client, msg_id);
  emit(buf, (size_t) n);
  for (int i = 0; i < tokens; i++) ping();
}

int main(int argc, char **argv) {
  int tokens = argc > 1 ? atoi(argv[1]) : 200;
  static char in[1 << 20];
  size_t have = 0;
  for (;;) {
    ssize_t r = read(0, in + have, sizeof in - have);
    if (r <= 0) return 0;
    have += (size_t) r;
    size_t start = 0;
    for (size_t i = 0; i < have; i++) {
      if (in[i] != '\n') continue;
      in[i] = 0;
      const char *line = in + start;
      if (strstr(line, "\"type\":\"ping\"")) ping();
      else if (strstr(line, "\"type\":\"init\"")) init(line, tokens);
      start = i + 1;
    }
    memmove(in, in + start, have - start);
    have -= start;
    if (outlen) { if (write(1, out, outlen) < 0) return 1; outlen = 0; }
  }
}
