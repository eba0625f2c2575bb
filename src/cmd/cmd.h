/* cmd.h: the subcommands; each returns an exit code (err.h enum unmask_exit). */
#ifndef UNMASK_CMD_H
#define UNMASK_CMD_H

int cmd_identify(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_lab(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_devices(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_inventory(int argc, char **argv);
int cmd_import(int argc, char **argv);

#endif
