build/release/src/cmd/rules.o: src/cmd/rules.c src/cmd/../core/err.h \
 src/cmd/../core/log.h src/cmd/../report/report.h \
 src/cmd/../report/../engine/engine.h \
 src/cmd/../report/../engine/../kb/kb.h \
 src/cmd/../report/../engine/../kb/oui.h \
 src/cmd/../report/../engine/../obs/obs.h \
 src/cmd/../report/../engine/../obs/../core/arena.h \
 src/cmd/../report/../kb/kb.h src/cmd/../report/../obs/obs.h \
 src/cmd/../report/text.h src/cmd/cmd.h src/cmd/common.h \
 src/cmd/../kb/kb.h src/cmd/../kb/oui.h
src/cmd/../core/err.h:
src/cmd/../core/log.h:
src/cmd/../report/report.h:
src/cmd/../report/../engine/engine.h:
src/cmd/../report/../engine/../kb/kb.h:
src/cmd/../report/../engine/../kb/oui.h:
src/cmd/../report/../engine/../obs/obs.h:
src/cmd/../report/../engine/../obs/../core/arena.h:
src/cmd/../report/../kb/kb.h:
src/cmd/../report/../obs/obs.h:
src/cmd/../report/text.h:
src/cmd/cmd.h:
src/cmd/common.h:
src/cmd/../kb/kb.h:
src/cmd/../kb/oui.h:
