import Foundation
import MWP
import Testing
@testable import USB

/// The udev rules are data the driver depends on: their VID:PID must be USBIdentity's, and their access
/// policy must never be world-writable.
struct UdevRulesTests {
    static let udev = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("udev")

    static func rules(_ name: String) throws -> String {
        try String(contentsOf: udev.appendingPathComponent(name), encoding: .utf8)
    }

    /// Every `idVendor`/`idProduct` value a rule matches on, in order.
    static func matched(_ key: String, in text: String) -> [String] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.flatMap { line -> [String] in
            line.components(separatedBy: key + "}==\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
    }

    @Test func vidAndPidInTheRulesAreUSBIdentity() throws {
        let text = try Self.rules("60-mosquito.rules")
        let vendors = Self.matched("idVendor", in: text)
        let products = Self.matched("idProduct", in: text)
        #expect(vendors.count == 2 && products.count == 2)  // the USB unit and the CDC-ACM tty
        #expect(vendors.allSatisfy { UInt16($0, radix: 16) == USBIdentity.vendorID })
        #expect(products.allSatisfy { UInt16($0, radix: 16) == USBIdentity.productID })
        #expect(vendors.allSatisfy { $0.count == 4 && $0 == $0.lowercased() })  // sysfs spells them this way
        #expect(text.contains("SYMLINK+=\"mosquito/$env{ID_SERIAL_SHORT}\""))
    }

    @Test func accessPolicyIsUaccessOrPlugdevNeverWorldWritable() throws {
        let uaccess = try Self.rules("61-mosquito-uaccess.rules")
        let plugdev = try Self.rules("61-mosquito-plugdev.rules")
        #expect(uaccess.contains("TAG+=\"uaccess\""))
        #expect(plugdev.contains("GROUP=\"plugdev\"") && plugdev.contains("MODE=\"0660\""))
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.udev.path).filter { $0.hasSuffix(".rules") }
        #expect(names.count == 3)
        for name in names {
            let text = try Self.rules(name).split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
            #expect(!text.contains("0666"), "\(name) grants world access")
            #expect(!text.contains("0777"), "\(name) grants world access")
        }
    }
}
