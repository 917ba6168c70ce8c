import CLibUSB

/// Owns a set of bulk transfers and their buffers; `deinit` frees them. The owner must not let it go while
/// any transfer is in flight (libusb would write into freed memory).
struct TransferPool: ~Copyable {
    let transfers: [UnsafeMutablePointer<libusb_transfer>]
    let transferBytes: Int
    private let buffers: UnsafeMutableRawPointer

    init(
        count: Int, transferBytes: Int, handle: OpaquePointer, endpoint: UInt8,
        callback: libusb_transfer_cb_fn, userData: UnsafeMutableRawPointer
    ) throws(USBError) {
        buffers = UnsafeMutableRawPointer.allocate(byteCount: count * transferBytes, alignment: 64)
        var made: [UnsafeMutablePointer<libusb_transfer>] = []
        for i in 0..<count {
            guard let t = libusb_alloc_transfer(0) else {
                made.forEach { libusb_free_transfer($0) }
                buffers.deallocate()
                throw USBError(code: .noMemory, call: "libusb_alloc_transfer")
            }
            t.pointee.dev_handle = handle
            t.pointee.endpoint = endpoint
            t.pointee.type = UInt8(LIBUSB_TRANSFER_TYPE_BULK.rawValue)
            t.pointee.timeout = 0  // streaming IN waits as long as the device is quiet
            t.pointee.buffer = (buffers + i * transferBytes).assumingMemoryBound(to: UInt8.self)
            t.pointee.length = Int32(transferBytes)
            t.pointee.callback = callback
            t.pointee.user_data = userData
            made.append(t)
        }
        transfers = made
        self.transferBytes = transferBytes
    }

    deinit {
        transfers.forEach { libusb_free_transfer($0) }
        buffers.deallocate()
    }
}
