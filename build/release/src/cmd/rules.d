build/release/src/cmd/rules.o: src/cmd/rules.c src/cmd/../core/err.h \
 src/cmd/../core/log.h src/cmd/../report/jsonw.h \
 src/cmd/../report/../core/sbuf.h src/cmd/../report/text.h src/cmd/cmd.h \
 src/cmd/common.h src/cmd/../kb/kb.h src/cmd/../kb/oui.h
src/cmd/../core/err.h:
src/cmd/../core/log.h:
src/cmd/../report/jsonw.h:
src/cmd/../report/../core/sbuf.h:
src/cmd/../report/text.h:
src/cmd/cmd.h:
src/cmd/common.h:
src/cmd/../kb/kb.h:
src/cmd/../kb/oui.h:
