# USB driver: udev rules and the umockdev-backed tests. Included by the top-level Makefile.

UDEV_RULES_DIR ?= /etc/udev/rules.d
# uaccess (logged-in user, via logind) or plugdev (group); see udev/README.md.
UDEV_ACCESS ?= uaccess
USB_TEST_PACKAGES := libusb-1.0-0-dev umockdev libumockdev-dev gir1.2-umockdev-1.0

.PHONY: install-udev usb-test-deps test-usb

install-udev:
	@case "$(UDEV_ACCESS)" in uaccess|plugdev) ;; *) echo "UDEV_ACCESS must be uaccess or plugdev" >&2; exit 1;; esac
	install -D -m 0644 udev/60-mosquito.rules $(DESTDIR)$(UDEV_RULES_DIR)/60-mosquito.rules
	install -D -m 0644 udev/61-mosquito-$(UDEV_ACCESS).rules $(DESTDIR)$(UDEV_RULES_DIR)/61-mosquito-$(UDEV_ACCESS).rules
	@if [ -z "$(DESTDIR)" ] && command -v udevadm >/dev/null 2>&1; then \
		udevadm control --reload-rules && udevadm trigger --subsystem-match=usb --subsystem-match=tty || true; \
	fi

usb-test-deps:
	@missing=""; for p in $(USB_TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then apt-get install -y $$missing; fi

# The USB tests run the real driver against an emulated device; they need umockdev's preload library.
# Under CI (CI set) they fail rather than skip when it is missing.
# Built outside the preload (the compiler need not run under umockdev), then run under it.
test-usb: usb-test-deps
	swift build --build-tests
	umockdev-wrapper swift test --skip-build --filter USBTests
