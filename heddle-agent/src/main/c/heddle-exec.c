/*
 * heddle-exec: the agent's spawn trampoline, in place of `sh -c '...'` (Spawner.trampolineScript
 * does the same in sh, and stays the fallback). posix_spawn starts it with
 *   heddle-exec CGROUP_DIR LISTEN PROGRAM ARGS...
 * It writes its own pid into CGROUP_DIR/cgroup.procs (unless CGROUP_DIR is empty), so it is in the
 * service's cgroup before the program runs and nothing the program forks can start outside it;
 * with LISTEN = "1" it puts LISTEN_PID=<its pid> first in the environment; then it execs PROGRAM
 * (a path) with ARGS under the same pid, so LISTEN_PID is the program's pid. Exit 125 when it
 * cannot join the cgroup, 127 when the exec fails.
 *
 * A spare (the next incarnation of a service, prepared ahead of its restart): LISTEN followed by
 * "wN", e.g. "1w4", makes it join the cgroup, then block reading fd N (a pipe from the agent) and
 * close it. One byte means go: exec as above. End of file means the agent dropped the spare or
 * died: exit 0 without running anything.
 *
 * No C library: x86_64 Linux system calls only, so the static binary is about 1 KB and costs
 * one exec of almost nothing, where sh cost about 6 ms of CPU per spawn (dynamic loading, parsing).
 * Build: scripts/build-exec-helper, which regenerates the committed resource.
 */
typedef unsigned long u64;
typedef long i64;

static i64 sys3(i64 n, i64 a, i64 b, i64 c) {
  i64 r;
  __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return r;
}

#define SYS_read 0
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_getpid 39
#define SYS_execve 59
#define SYS_exit 60
#define O_WRONLY 1
#define O_CLOEXEC 02000000

static u64 len(const char *s) {
  u64 n = 0;
  while (s[n]) n++;
  return n;
}

static void say(const char *s) { sys3(SYS_write, 2, (i64)s, (i64)len(s)); }

static void die(const char *what, const char *detail, const char *program, int code) {
  say("heddle: could not ");
  say(what);
  say(" ");
  say(detail);
  say("; not starting ");
  say(program);
  say("\n");
  sys3(SYS_exit, code, 0, 0);
}

/* Writes n in decimal at the end of buf (size 24); returns the first digit. */
static char *decimal(i64 n, char *buf) {
  char *p = buf + 23;
  *p = 0;
  do {
    *--p = (char)('0' + n % 10);
    n /= 10;
  } while (n > 0);
  return p;
}

__attribute__((used)) void heddle_main(i64 *sp) {
  i64 argc = sp[0];
  char **argv = (char **)(sp + 1);
  char **envp = argv + argc + 1;
  if (argc < 4) {
    say("usage: heddle-exec CGROUP_DIR LISTEN PROGRAM [ARGS...]\n");
    sys3(SYS_exit, 2, 0, 0);
  }
  char *group = argv[1];
  char *program = argv[3];
  char digits[24];
  char *pid = decimal(sys3(SYS_getpid, 0, 0, 0), digits);
  if (group[0]) {
    const char *file = "/cgroup.procs";
    u64 n = len(group);
    char *procs = __builtin_alloca(n + len(file) + 1);
    for (u64 i = 0; i < n; i++) procs[i] = group[i];
    for (u64 i = 0; i <= len(file); i++) procs[n + i] = file[i];
    i64 fd = sys3(SYS_open, (i64)procs, O_WRONLY | O_CLOEXEC, 0);
    if (fd < 0 || sys3(SYS_write, fd, (i64)pid, (i64)len(pid)) < 0) {
      die("join cgroup", group, program, 125);
    }
    sys3(SYS_close, fd, 0, 0);
  }
  /* a spare: wait for the agent's word on fd N (LISTEN is "0wN" or "1wN") */
  if (argv[2][0] && argv[2][1] == 'w') {
    i64 go = 0;
    for (char *d = argv[2] + 2; *d >= '0' && *d <= '9'; d++) go = go * 10 + (*d - '0');
    char byte;
    i64 r;
    do {
      r = sys3(SYS_read, go, (i64)&byte, 1);
    } while (r == -4); /* EINTR */
    if (r != 1) sys3(SYS_exit, 0, 0, 0);
    sys3(SYS_close, go, 0, 0);
  }
  char listen[40];
  i64 envc = 0;
  while (envp[envc]) envc++;
  /* a new envp on the stack: LISTEN_PID first, then the rest */
  char **env = __builtin_alloca((u64)(envc + 2) * sizeof(char *));
  i64 k = 0;
  if (argv[2][0] == '1') {
    const char *name = "LISTEN_PID=";
    u64 i = 0;
    for (; name[i]; i++) listen[i] = name[i];
    for (char *d = pid; *d; d++) listen[i++] = *d;
    listen[i] = 0;
    env[k++] = listen;
  }
  for (i64 i = 0; i < envc; i++) env[k++] = envp[i];
  env[k] = 0;
  sys3(SYS_execve, (i64)program, (i64)(argv + 3), (i64)env);
  die("exec", program, program, 127);
}

__asm__(
    ".text\n"
    ".global _start\n"
    "_start:\n"
    "  mov %rsp, %rdi\n"
    "  and $-16, %rsp\n"
    "  call heddle_main\n"
    "  hlt\n");
