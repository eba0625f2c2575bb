/* err.h: the one error vocabulary of unmask.
 *
 * Functions that can fail return int: 0 (UNMASK_OK) or one of these negative codes. Only main.c turns
 * them into exit codes. Hostile input is data, not an error: a malformed device reply becomes an
 * observation or is skipped, and the run goes on. */
#ifndef UNMASK_ERR_H
#define UNMASK_ERR_H

enum unmask_err {
    UNMASK_OK = 0,
    UNMASK_EAGAIN = -1,   /* parser needs more bytes */
    UNMASK_EPARSE = -2,   /* malformed input */
    UNMASK_EIO = -3,      /* read or write failed */
    UNMASK_ELIMIT = -4,   /* a hard cap was reached */
    UNMASK_EUSAGE = -5,   /* bad command line or configuration */
    UNMASK_ENOENT = -6,   /* a required file is missing */
    UNMASK_ERULES = -7,   /* knowledge files are invalid */
    UNMASK_ETIMEOUT = -8, /* an exchange timed out */
    UNMASK_EDB = -9,      /* the store failed */
};

/* Exit codes, documented in README.md and docs/unmask.1.md. */
enum unmask_exit {
    EXIT_OK = 0,          /* success */
    EXIT_RUNTIME = 1,     /* runtime failure, or some input lines were rejected */
    EXIT_USAGE = 2,       /* usage or configuration error */
    EXIT_RULES = 3,       /* knowledge files failed to load or check */
    EXIT_FLAGGED = 4,     /* --fail-on matched at least one device */
};

/* Returns a static description of code (never NULL). */
const char *err_str(int code);

#endif
