import Foundation
import NIOCore

extension ByteBuffer {
    var hex: String { readableBytesView.map { String(format: "%02x", $0) }.joined() }
}

extension String {
    var hexBytes: [UInt8] {
        var out: [UInt8] = []
        var i = startIndex
        while i < endIndex, let j = index(i, offsetBy: 2, limitedBy: endIndex) {
            out.append(UInt8(self[i..<j], radix: 16)!)
            i = j
        }
        return out
    }
}
