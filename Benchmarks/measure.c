/*
 * measure: run one command and report its wall time and its own peak RSS.
 *
 *     measure RESULT_FILE COMMAND [ARG...]
 *
 * Forks, execs COMMAND (stdin, stdout and stderr are inherited), waits for it with wait4 and
 * writes "wall_seconds peak_rss_kib exit_code" to RESULT_FILE. exit_code is the command's exit
 * status, or 128 + signal number if a signal ended it.
 *
 * Why a C launcher: Linux keeps the peak RSS of the address space a process had before execve, so
 * a child forked straight from the (Python) harness inherits the harness's RSS as a floor. Forked
 * from this small program, the floor is this program's size, about 1 MiB.
 *
 * The command is killed if this launcher dies (PR_SET_PDEATHSIG), so the harness's timeout works.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: measure RESULT_FILE COMMAND [ARG...]\n");
        return 2;
    }
    double start = now();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "measure: fork: %s\n", strerror(errno));
        return 2;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execvp(argv[2], argv + 2);
        fprintf(stderr, "measure: cannot run %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status = 0;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "measure: wait4: %s\n", strerror(errno));
            return 2;
        }
    }
    double wall = now() - start;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *out = fopen(argv[1], "w");
    if (out == NULL) {
        fprintf(stderr, "measure: cannot write %s: %s\n", argv[1], strerror(errno));
        return 2;
    }
    fprintf(out, "%.6f %ld %d\n", wall, usage.ru_maxrss, code);
    fclose(out);
    return 0;
}
