build/release/src/obs/jsonl.o: src/obs/jsonl.c src/obs/jsonl.h \
 src/obs/obs.h src/obs/../core/arena.h src/obs/../core/err.h
src/obs/jsonl.h:
src/obs/obs.h:
src/obs/../core/arena.h:
src/obs/../core/err.h:
