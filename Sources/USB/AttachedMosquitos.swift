/// What the hotplug monitor compares between two looks at the bus, and the rule that turns the difference into
/// arrivals and departures.
///
/// On Linux libusb's device list is not a scan: it is a cache that only udev hotplug events update. A unit whose
/// event never reached libusb (no udevd, as in many containers; a netlink buffer overrun; a udev monitor bound
/// elsewhere) stays missing from it for good, and one whose removal was missed stays listed. So the kernel's sysfs
/// decides what is attached; libusb only describes, by opening it, a unit it happens to know.
struct AttachedMosquitos {
    typealias Key = UInt16

    static func key(_ info: USBDeviceInfo) -> Key { key(info.bus, info.address) }
    static func key(_ bus: UInt8, _ address: UInt8) -> Key { Key(bus) << 8 | Key(address) }

    /// sysfs entries libusb does not list, seen on the previous look, by key, with the serial they had then.
    private var settling: [Key: String] = [:]

    struct Changes {
        var departed: [Key] = []
        var arrived: [USBDeviceInfo] = []
    }

    /// Compares `kernel` (sysfs now) with `known` (what has been reported). `describe` gives libusb's descriptions
    /// and is called only when something new is attached, since describing opens each unit.
    ///
    /// A unit libusb does not list is reported from sysfs once two looks in a row show it whole, with the same
    /// serial: sysfs fills a new directory attribute by attribute (a Mosquito always has a serial, the identity
    /// record's, so an entry without one is still appearing), and keeps a departing one a moment after its removal
    /// event. A different serial at a known address is a departure and an arrival: a unit was swapped between looks.
    mutating func compare(
        kernel: [USBDeviceInfo], known: [Key: USBDeviceInfo], describe: () -> [USBDeviceInfo]
    ) -> Changes {
        var changes = Changes()
        var present: [Key: USBDeviceInfo] = [:]
        for entry in kernel { present[Self.key(entry)] = entry }
        for (key, info) in known {
            guard let now = present[key] else {
                changes.departed.append(key)
                continue
            }
            if let before = info.serial, let after = now.serial, before != after { changes.departed.append(key) }
        }
        let gone = Set(changes.departed)
        let fresh = kernel.filter { known[Self.key($0)] == nil || gone.contains(Self.key($0)) }
        var stillSettling: [Key: String] = [:]
        if !fresh.isEmpty {
            var described: [Key: USBDeviceInfo] = [:]
            for info in describe() { described[Self.key(info)] = info }
            for entry in fresh {
                let key = Self.key(entry)
                if let info = described[key] {
                    changes.arrived.append(info)
                } else if let serial = entry.serial {
                    if settling[key] == serial { changes.arrived.append(entry) } else { stillSettling[key] = serial }
                }
            }
        }
        settling = stillSettling
        return changes
    }
}
