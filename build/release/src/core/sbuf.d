build/release/src/core/sbuf.o: src/core/sbuf.c src/core/sbuf.h \
 src/core/xalloc.h
src/core/sbuf.h:
src/core/xalloc.h:
