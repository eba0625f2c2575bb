build/release/src/main.o: src/main.c src/cmd/cmd.h src/core/err.h \
 src/core/log.h
src/cmd/cmd.h:
src/core/err.h:
src/core/log.h:
