# `make fresh-check`: the README's two commands on a minimal Debian 12 chroot (.ci/fresh-check). Needs root;
# not part of `make test` (a first build from nothing, about half an hour on 2 cores).
.PHONY: fresh-check
fresh-check:
	bash .ci/fresh-check
