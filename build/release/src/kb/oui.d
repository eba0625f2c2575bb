build/release/src/kb/oui.o: src/kb/oui.c src/kb/oui.h \
 src/kb/../core/err.h src/kb/../core/xalloc.h
src/kb/oui.h:
src/kb/../core/err.h:
src/kb/../core/xalloc.h:
