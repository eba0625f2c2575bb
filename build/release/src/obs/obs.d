build/release/src/obs/obs.o: src/obs/obs.c src/obs/obs.h \
 src/obs/../core/arena.h src/obs/../core/err.h src/obs/../core/utf8.h \
 src/obs/../core/xalloc.h
src/obs/obs.h:
src/obs/../core/arena.h:
src/obs/../core/err.h:
src/obs/../core/utf8.h:
src/obs/../core/xalloc.h:
