build/release/src/kb/kb.o: src/kb/kb.c src/kb/kb.h src/kb/../core/err.h \
 src/kb/../core/xalloc.h
src/kb/kb.h:
src/kb/../core/err.h:
src/kb/../core/xalloc.h:
