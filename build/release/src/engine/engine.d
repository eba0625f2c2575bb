build/release/src/engine/engine.o: src/engine/engine.c \
 src/engine/engine.h src/engine/../kb/kb.h src/engine/../kb/oui.h \
 src/engine/../obs/obs.h src/engine/../obs/../core/arena.h \
 src/engine/../core/utf8.h src/engine/../core/xalloc.h
src/engine/engine.h:
src/engine/../kb/kb.h:
src/engine/../kb/oui.h:
src/engine/../obs/obs.h:
src/engine/../obs/../core/arena.h:
src/engine/../core/utf8.h:
src/engine/../core/xalloc.h:
