build/release/src/cmd/common.o: src/cmd/common.c src/cmd/common.h \
 src/cmd/../kb/kb.h src/cmd/../kb/oui.h src/cmd/../core/err.h \
 src/cmd/../core/log.h
src/cmd/common.h:
src/cmd/../kb/kb.h:
src/cmd/../kb/oui.h:
src/cmd/../core/err.h:
src/cmd/../core/log.h:
