/*
 * The physical floor of a fan-out: the same WebSocket text frame a Pusher server sends for one event,
 * written with one write() per delivery to N loopback sockets, and read on the other side.
 * The writer (this process, pin it with taskset) does nothing else, so its CPU per delivered message
 * is what the kernel alone costs; a server can only add to it. The reader is a forked child pinned to
 * another core, counting bytes (every frame has the same length) into shared memory; its CPU is
 * reported too (it is the floor's load generator).
 *
 *   floor --connections 1000 --rate 100 --seconds 10 [--reader-cpu 1] [--tcp]
 *
 * --tcp (what realtime-bench.jar runs): loopback TCP, the reader connects and this process accepts,
 * so each holds N descriptors; without it, socketpairs (both ends exist before the fork: N ≤ limit / 2).
 *
 * --rate is events per second (each event is one write to every connection; past saturation the
 * writer simply runs flat out). Prints one line of key=value pairs for the load generator to parse.
 *
 * Latency: the writer notes when it starts each event's sweep (in shared memory, by event number);
 * the reader knows which event a frame is from its connection's byte count (every frame has the same
 * length) and records, for every frame it completes, the time since that event's sweep began. So
 * p50_us / p99_us are the floor's own publish-to-receive for the same fan-out: the last connection of
 * a sweep hears of the event as long after the first as the sweep's writes take.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static long self_cpu_us(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000L + ru.ru_stime.tv_usec;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

/* Up to the hard limit of open files: 10 000 connections need 10 000 descriptors in each process. */
static void raise_nofile(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

/* Latencies in buckets of BUCKET_US, the last bucket holding everything from its start up. */
#define BUCKET_US 10
#define BUCKETS 1000000

/* The smallest latency (µs, at the bucket's upper edge) that a share q of the samples do not exceed. */
static long quantile_us(const long *hist, long samples, double q) {
    long want = (long) (q * (double) samples + 0.5), seen = 0;
    if (want < 1) want = 1;
    for (long b = 0; b < BUCKETS; b++) {
        seen += hist[b];
        if (seen >= want) return (b + 1) * BUCKET_US;
    }
    return (long) BUCKETS * BUCKET_US;
}

/*
 * The reader: every received byte counted into shared[0] until shared[1] says stop; each completed
 * frame's latency from its event's start in starts[] (nstarts entries; later events are not timed).
 * At the end: shared[2] its CPU, shared[4..7] samples, p50, p99 and the largest latency in µs.
 */
static void read_all(int *fds, int n, volatile long *shared, volatile long *starts, long nstarts, size_t flen) {
    int ep = epoll_create1(0);
    if (ep < 0) die("epoll_create1");
    int maxfd = 0;
    for (int i = 0; i < n; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.fd = fds[i]};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) < 0) die("epoll_ctl");
        if (fds[i] > maxfd) maxfd = fds[i];
    }
    long *got = calloc((size_t) maxfd + 1, sizeof *got); /* bytes received per descriptor */
    long *hist = calloc(BUCKETS, sizeof *hist);
    if (!got || !hist) die("calloc");
    struct epoll_event events[256];
    static char buf[64 * 1024];
    long total = 0, samples = 0, max_ns = 0;
    while (!shared[1]) {
        int k = epoll_wait(ep, events, 256, 100);
        for (int j = 0; j < k; j++) {
            int fd = events[j].data.fd;
            ssize_t r = read(fd, buf, sizeof buf);
            if (r <= 0) continue;
            long now = now_ns();
            long first = got[fd] / (long) flen, end = (got[fd] + r) / (long) flen;
            got[fd] += r;
            total += r;
            for (long e = first; e < end && e < nstarts; e++) {
                long lat = now - starts[e];
                if (lat > max_ns) max_ns = lat;
                long b = lat / 1000 / BUCKET_US;
                hist[b < BUCKETS ? b : BUCKETS - 1]++;
                samples++;
            }
        }
        shared[0] = total;
    }
    shared[2] = self_cpu_us();
    shared[4] = samples;
    shared[5] = samples ? quantile_us(hist, samples, 0.50) : -1;
    shared[6] = samples ? quantile_us(hist, samples, 0.99) : -1;
    shared[7] = max_ns / 1000;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    sched_setaffinity(0, sizeof set, &set); /* best effort: a 1-core machine still works */
}

int main(int argc, char **argv) {
    int n = 1000, rate = 100, seconds = 10, reader_cpu = 1, tcp = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--connections") && i + 1 < argc) n = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rate") && i + 1 < argc) rate = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reader-cpu") && i + 1 < argc) reader_cpu = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--tcp")) tcp = 1;
        else {
            fprintf(stderr, "usage: floor --connections N --rate EVENTS_PER_S --seconds S [--reader-cpu C] [--tcp]\n");
            return 2;
        }
    }
    if (n < 1 || rate < 1 || seconds < 1 || seconds > 3600) {
        fprintf(stderr, "bad arguments\n");
        return 2;
    }
    /* the frame a server sends for one event: FIN+text, unmasked, 7-bit or 16-bit length */
    const char *payload = "{\"event\":\"tick\",\"channel\":\"bench\",\"data\":\"{\\\"t\\\":1234567890123456,\\\"seq\\\":12345}\"}";
    size_t plen = strlen(payload);
    unsigned char frame[256];
    size_t flen;
    frame[0] = 0x81;
    if (plen < 126) {
        frame[1] = (unsigned char) plen;
        memcpy(frame + 2, payload, plen);
        flen = 2 + plen;
    } else {
        frame[1] = 126;
        frame[2] = (unsigned char) (plen >> 8);
        frame[3] = (unsigned char) plen;
        memcpy(frame + 4, payload, plen);
        flen = 4 + plen;
    }

    raise_nofile();
    /* delivered bytes (written by the reader), stop flag, the reader's CPU at the end (µs), reader ready,
     * then the reader's latency figures (read_all) */
    volatile long *shared = mmap(NULL, 8 * sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) die("mmap");
    memset((void *) shared, 0, 8 * sizeof(long));
    /* when each event's sweep began (ns, CLOCK_MONOTONIC): the writer paces itself, so it never starts
     * more than rate × seconds events; pages the run does not reach are never touched */
    long nstarts = (long) rate * seconds + 1;
    if (nstarts > (1L << 24)) nstarts = 1L << 24;
    volatile long *starts = mmap(NULL, (size_t) nstarts * sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (starts == MAP_FAILED) die("mmap");
    int *wfd = calloc((size_t) n, sizeof *wfd);
    int *rfd = calloc((size_t) n, sizeof *rfd);
    if (!wfd || !rfd) die("calloc");

    pid_t reader;
    if (tcp) {
        /* the reader connects, this process accepts: each holds one end of every connection */
        int listener = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in addr;
        memset(&addr, 0, sizeof addr);
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(listener, (struct sockaddr *) &addr, sizeof addr) < 0) die("bind");
        socklen_t alen = sizeof addr;
        getsockname(listener, (struct sockaddr *) &addr, &alen);
        if (listen(listener, 4096) < 0) die("listen");
        reader = fork();
        if (reader < 0) die("fork");
        if (reader == 0) {
            pin(reader_cpu);
            close(listener);
            for (int i = 0; i < n; i++) {
                rfd[i] = socket(AF_INET, SOCK_STREAM, 0);
                if (rfd[i] < 0) die("socket");
                if (connect(rfd[i], (struct sockaddr *) &addr, sizeof addr) < 0) die("connect");
            }
            shared[3] = 1;
            read_all(rfd, n, shared, starts, nstarts, flen);
            _exit(0);
        }
        int one = 1;
        for (int i = 0; i < n; i++) {
            wfd[i] = accept(listener, NULL, NULL);
            if (wfd[i] < 0) die("accept");
            setsockopt(wfd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        close(listener);
    } else {
        for (int i = 0; i < n; i++) {
            int pair[2];
            if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0) die("socketpair");
            wfd[i] = pair[0];
            rfd[i] = pair[1];
        }
        reader = fork();
        if (reader < 0) die("fork");
        if (reader == 0) {
            pin(reader_cpu);
            for (int i = 0; i < n; i++) close(wfd[i]);
            shared[3] = 1;
            read_all(rfd, n, shared, starts, nstarts, flen);
            _exit(0);
        }
        for (int i = 0; i < n; i++) close(rfd[i]);
    }
    for (int i = 0; i < 1000 && !shared[3]; i++) {
        usleep(10000); /* the reader registers its sockets: 10 s at most */
    }

    long interval = 1000000000L / rate;
    long start = now_ns();
    long end = start + (long) seconds * 1000000000L;
    long cpu0 = self_cpu_us();
    long events = 0;
    for (;;) {
        long now = now_ns();
        if (now >= end) break;
        long due = start + events * interval;
        if (due > now) {
            struct timespec ts = {.tv_sec = (due - now) / 1000000000L, .tv_nsec = (due - now) % 1000000000L};
            nanosleep(&ts, NULL);
            continue;
        }
        if (events < nstarts) starts[events] = now;
        for (int i = 0; i < n; i++) {
            if (write(wfd[i], frame, flen) != (ssize_t) flen) die("write");
        }
        events++;
    }
    long cpu = self_cpu_us() - cpu0;
    long written = events * (long) n;
    /* let the reader drain, bounded */
    long drain_end = now_ns() + 2000000000L;
    while (shared[0] < written * (long) flen && now_ns() < drain_end) {
        usleep(1000);
    }
    double elapsed = (now_ns() - start) / 1e9;
    long delivered = shared[0] / (long) flen;
    shared[1] = 1;
    waitpid(reader, NULL, 0);
    printf("connections=%d events=%ld written=%ld delivered=%ld seconds=%.3f writer_cpu_us=%ld reader_cpu_us=%ld frame_bytes=%zu"
           " latency_samples=%ld p50_us=%ld p99_us=%ld max_us=%ld\n",
           n, events, written, delivered, elapsed, cpu, shared[2], flen, shared[4], shared[5], shared[6], shared[7]);
    return 0;
}
