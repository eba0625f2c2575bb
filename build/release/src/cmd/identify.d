build/release/src/cmd/identify.o: src/cmd/identify.c \
 src/cmd/../core/err.h src/cmd/../core/linereader.h src/cmd/../core/log.h \
 src/cmd/../engine/engine.h src/cmd/../engine/../kb/kb.h \
 src/cmd/../engine/../kb/oui.h src/cmd/../engine/../obs/obs.h \
 src/cmd/../engine/../obs/../core/arena.h src/cmd/../obs/jsonl.h \
 src/cmd/../obs/obs.h src/cmd/../report/report.h \
 src/cmd/../report/../engine/engine.h src/cmd/../report/../core/sbuf.h \
 src/cmd/../report/../kb/kb.h src/cmd/../report/../obs/obs.h \
 src/cmd/cmd.h src/cmd/common.h src/cmd/../kb/kb.h src/cmd/../kb/oui.h
src/cmd/../core/err.h:
src/cmd/../core/linereader.h:
src/cmd/../core/log.h:
src/cmd/../engine/engine.h:
src/cmd/../engine/../kb/kb.h:
src/cmd/../engine/../kb/oui.h:
src/cmd/../engine/../obs/obs.h:
src/cmd/../engine/../obs/../core/arena.h:
src/cmd/../obs/jsonl.h:
src/cmd/../obs/obs.h:
src/cmd/../report/report.h:
src/cmd/../report/../engine/engine.h:
src/cmd/../report/../core/sbuf.h:
src/cmd/../report/../kb/kb.h:
src/cmd/../report/../obs/obs.h:
src/cmd/cmd.h:
src/cmd/common.h:
src/cmd/../kb/kb.h:
src/cmd/../kb/oui.h:
