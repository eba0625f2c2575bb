build/release/src/report/table.o: src/report/table.c src/report/report.h \
 src/report/../engine/engine.h src/report/../engine/../kb/kb.h \
 src/report/../engine/../kb/oui.h src/report/../engine/../obs/obs.h \
 src/report/../engine/../obs/../core/arena.h src/report/../core/sbuf.h \
 src/report/../kb/kb.h src/report/../obs/obs.h src/report/text.h
src/report/report.h:
src/report/../engine/engine.h:
src/report/../engine/../kb/kb.h:
src/report/../engine/../kb/oui.h:
src/report/../engine/../obs/obs.h:
src/report/../engine/../obs/../core/arena.h:
src/report/../core/sbuf.h:
src/report/../kb/kb.h:
src/report/../obs/obs.h:
src/report/text.h:
