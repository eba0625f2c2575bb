/* lab.c: `unmask lab`: serves a network of simulated devices on loopback (docs/LAB.md). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/nsfs.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/err.h"
#include "common.h"
#include "../core/log.h"
#include "../lab/lab.h"
#include "cmd.h"


static const char usage[] =
    "usage: unmask lab [options]\n"
    "Serves simulated cameras, recorders and telecom gear on consecutive loopback addresses, each\n"
    "answering as the real device does (lab/personalities/*.dev cite where every reply comes from).\n"
    "\n"
    "  --base ADDR          first address (default 127.77.0.1; must stay inside 127.0.0.0/8)\n"
    "  --hosts N            number of devices (default 64)\n"
    "  --seed S             seed of the reproducible mix, serials and MAC addresses (default 1)\n"
    "  --mix NAME=W,...     weights of personalities (default: each file's own weight)\n"
    "  --personality NAME   serve only this personality (or NAME,NAME,... in equal shares)\n"
    "  --truth FILE         write the ground truth as JSON Lines, one device a line\n"
    "  --truth-only         write the truth and exit without serving (to set up interfaces first)\n"
    "  --pidfile FILE       write the process id there while serving\n"
    "  --ready-file FILE    write the ready line there once every port is bound\n"
    "  --list               list the personalities and exit\n"
    "  --check              load and check the personality files and exit\n"
    "  --personalities DIR  personality files (default: the shipped lab/personalities)\n"
    "  --all-interfaces     serve on every interface and join the discovery multicast groups;\n"
    "                       refused unless the lab runs in a network namespace of its own\n"
    "  --idle-ms N          close idle connections after N ms (default 30000)\n"
    "  -h, --help           this help\n"
    "\n"
    "Prints 'unmask lab: ready N devices A-B' when it serves; stops on SIGINT or SIGTERM.\n"
    "Ports below 1024 need root, or a user network namespace:\n"
    "  unshare -rn sh -c 'ip link set lo up; unmask lab --hosts 16 & ...'\n"
    "Exit: 0 stopped cleanly, 1 a port could not be bound, 2 usage, 3 personality file errors.\n";

static void diag(void *ctx, const char *file, int line, const char *msg)
{
    (void)ctx;
    if (line > 0)
        fprintf(stderr, "%s:%d: %s\n", file, line, msg);
    else
        fprintf(stderr, "%s: %s\n", file, msg);
}

/* True only when this process provably runs in another network namespace than init's: either its
 * network namespace is owned by a user namespace other than the initial one (so it was made inside
 * `unshare -rn` and cannot be the machine's), or, for root, it differs from init's (ip netns exec). */
static bool in_private_netns(void)
{
    int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    int ufd = ioctl(fd, NS_GET_USERNS);
    close(fd);
    if (ufd >= 0) {
        struct stat st;
        bool ok = fstat(ufd, &st) == 0 && st.st_ino != 0xEFFFFFFDu; /* PROC_USER_INIT_INO */
        close(ufd);
        if (ok)
            return true;
    }
    struct stat self, init;
    if (stat("/proc/self/ns/net", &self) != 0 || stat("/proc/1/ns/net", &init) != 0)
        return false;
    return self.st_ino != init.st_ino || self.st_dev != init.st_dev;
}

static int parse_u(const char *what, const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || v > max || s[0] == '-') {
        log_error("lab: %s: expected a number up to %llu, not '%s'", what, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* The open ports of a personality (its own and its bases', the nearest declaration winning) as
 * "80,443" into buf. */
static void ports(const struct lab_pers *p, bool udp, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (unsigned port = 1; port < 65536; port++) {
        enum lab_svc s = lab_pers_svc(p, udp, (uint16_t)port);
        if (s == LAB_SVC_NONE)
            continue;
        int n = snprintf(buf + len, cap - len, "%s%u", len ? "," : "", port);
        if (n < 0 || (size_t)n >= cap - len)
            break;
        len += (size_t)n;
    }
    if (!len)
        snprintf(buf, cap, "-");
}

static void list(const struct lab_set *set)
{
    printf("%-20s %-13s %-11s %6s  %-28s %-22s %s\n", "PERSONALITY", "MAKER", "VERDICT", "WEIGHT",
           "TCP", "UDP", "TITLE");
    for (size_t i = 0; i < set->n_pers; i++) {
        const struct lab_pers *p = &set->pers[i];
        char tcp[256], udp[256];
        ports(p, false, tcp, sizeof tcp);
        ports(p, true, udp, sizeof udp);
        printf("%-20s %-13s %-11s %6u  %-28s %-22s %s%s\n", p->name, p->maker ? p->maker : "-",
               p->verdict, p->weight, tcp, udp, p->hostile ? "[hostile] " : "", p->title);
    }
}

int cmd_lab(int argc, char **argv)
{
    enum { O_BASE = 256, O_HOSTS, O_SEED, O_MIX, O_PERS, O_TRUTH, O_PID, O_READY, O_LIST, O_CHECK,
           O_DIR, O_ALL, O_IDLE, O_TRUTH_ONLY };
    static const struct option opts[] = {
        { "base", required_argument, NULL, O_BASE },
        { "hosts", required_argument, NULL, O_HOSTS },
        { "seed", required_argument, NULL, O_SEED },
        { "mix", required_argument, NULL, O_MIX },
        { "personality", required_argument, NULL, O_PERS },
        { "truth", required_argument, NULL, O_TRUTH },
        { "truth-only", no_argument, NULL, O_TRUTH_ONLY },
        { "pidfile", required_argument, NULL, O_PID },
        { "ready-file", required_argument, NULL, O_READY },
        { "list", no_argument, NULL, O_LIST },
        { "check", no_argument, NULL, O_CHECK },
        { "personalities", required_argument, NULL, O_DIR },
        { "all-interfaces", no_argument, NULL, O_ALL },
        { "idle-ms", required_argument, NULL, O_IDLE },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct lab_opts o = { .n_hosts = 64, .seed = 1, .idle_ms = 30000 };
    inet_pton(AF_INET, "127.77.0.1", &o.base);
    o.base = ntohl(o.base);
    const char *truth = NULL, *dir = NULL;
    bool do_list = false, do_check = false, truth_only = false;
    unsigned long long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case O_BASE: {
            struct in_addr a;
            if (inet_pton(AF_INET, optarg, &a) != 1) {
                log_error("lab: --base: an IPv4 address, not '%s'", optarg);
                return EXIT_USAGE;
            }
            o.base = ntohl(a.s_addr);
            break;
        }
        case O_HOSTS:
            if (parse_u("--hosts", optarg, LAB_MAX_HOSTS, &v) || !v)
                return EXIT_USAGE;
            o.n_hosts = (uint32_t)v;
            break;
        case O_SEED:
            if (parse_u("--seed", optarg, ~0ull, &v))
                return EXIT_USAGE;
            o.seed = v;
            break;
        case O_MIX: o.mix = optarg; break;
        case O_PERS: o.only = optarg; break;
        case O_TRUTH: truth = optarg; break;
        case O_TRUTH_ONLY: truth_only = true; break;
        case O_PID: o.pidfile = optarg; break;
        case O_READY: o.ready_file = optarg; break;
        case O_LIST: do_list = true; break;
        case O_CHECK: do_check = true; break;
        case O_DIR: dir = optarg; break;
        case O_ALL: o.all_ifaces = true; break;
        case O_IDLE:
            if (parse_u("--idle-ms", optarg, 3600000, &v) || v < 100)
                return EXIT_USAGE;
            o.idle_ms = (int)v;
            break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default:
            return cmd_option_error("lab", c, argv);
        }
    }
    if (optind < argc) {
        log_error("lab: unexpected argument '%s'", argv[optind]);
        fputs("Try 'unmask lab --help'.\n", stderr);
        return EXIT_USAGE;
    }
    if (o.all_ifaces && !truth_only && !in_private_netns()) {
        log_error("lab: --all-interfaces serves on real interfaces: only inside a network namespace "
                  "of its own (ip netns exec ...), which this process is not in");
        return EXIT_USAGE;
    }
    struct lab_set set;
    lab_set_init(&set, diag, NULL);
    const char *path = data_path(dir, "UNMASK_LAB_DIR", "lab/personalities");
    lab_dev_load(&set, path);
    lab_dev_finish(&set);
    if (set.n_errors) {
        log_error("lab: %d error(s) in the personality files (%s)", set.n_errors, path);
        lab_set_deinit(&set);
        return EXIT_RULES;
    }
    if (do_check) {
        printf("unmask lab: %zu personalities OK (%s)\n", set.n_pers, path);
        lab_set_deinit(&set);
        return EXIT_OK;
    }
    if (do_list) {
        list(&set);
        lab_set_deinit(&set);
        return EXIT_OK;
    }
    struct lab *lab;
    if (lab_new(&set, &o, &lab) != 0) {
        lab_set_deinit(&set);
        return EXIT_USAGE;
    }
    int rc = EXIT_OK;
    if (truth) {
        FILE *f = fopen(truth, "w");
        if (!f || lab_write_truth(lab, f) != 0) {
            log_error("lab: %s: %s", truth, strerror(errno));
            rc = EXIT_RUNTIME;
        }
        if (f && fclose(f) != 0)
            rc = EXIT_RUNTIME;
    }
    if (truth_only && !truth) {
        log_error("lab: --truth-only needs --truth FILE");
        rc = EXIT_USAGE;
    }
    if (rc == EXIT_OK && !truth_only && lab_serve(lab) != 0)
        rc = EXIT_RUNTIME;
    lab_free(lab);
    lab_set_deinit(&set);
    return rc;
}
