build/release/src/core/linereader.o: src/core/linereader.c \
 src/core/linereader.h src/core/err.h src/core/xalloc.h
src/core/linereader.h:
src/core/err.h:
src/core/xalloc.h:
