build/release/src/report/text.o: src/report/text.c src/report/text.h
src/report/text.h:
