#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address and port as the socket calls take it.
struct LSLSocketAddress {
    var storage = sockaddr_storage()
    var length: socklen_t = 0
    var family: Int32 { Int32(storage.ss_family) }

    init?(host: String, port: Int) {
        guard (0...65535).contains(port) else { return nil }
        let networkPort = in_port_t(UInt16(port).bigEndian)
        var v4 = sockaddr_in(), v6 = sockaddr_in6()
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            (v4.sin_family, v4.sin_port) = (sa_family_t(AF_INET), networkPort)
            store(v4)
        } else if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
            (v6.sin6_family, v6.sin6_port) = (sa_family_t(AF_INET6), networkPort)
            store(v6)
        } else {
            return nil
        }
    }

    /// Copies a family's address struct into the storage the socket calls take, with its length.
    private mutating func store<Address>(_ address: Address) {
        withUnsafeBytes(of: address) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
        length = socklen_t(MemoryLayout<Address>.size)
    }

    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// The numeric host, without the port.
    var host: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var s = storage
        withUnsafePointer(to: &s) { p in
            p.withMemoryRebound(to: UInt8.self, capacity: MemoryLayout<sockaddr_storage>.size) { raw in
                if family == AF_INET {
                    raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { a in
                        var addr = a.pointee.sin_addr
                        _ = inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
                    }
                } else {
                    raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { a in
                        var addr = a.pointee.sin6_addr
                        _ = inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
                    }
                }
            }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var s = storage
        return withUnsafePointer(to: &s) { p in p.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }
}
