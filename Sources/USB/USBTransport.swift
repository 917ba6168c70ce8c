import CLibUSB
import Device
import Foundation
import MWP

/// MWP/1 over the Mosquito's vendor interface: commands on bulk OUT, the stream on bulk IN with several
/// asynchronous transfers always in flight, resubmitted from their completion callback.
///
/// Bytes from completed transfers queue here until the session's reader takes them through `receive`, so
/// USB feeds the same `DeviceSession`/`FrameDecoder` path as a tty.
/// Unchecked: mutable state is guarded by `condition` (sends by `sendLock`); `interface`/`pool` change only once callbacks are done.
public final class USBTransport: Transport, @unchecked Sendable {
    public let info: USBDeviceInfo
    public let maxPacketSize: Int
    public let transfersInFlight: Int
    public let sendTimeoutMs: UInt32
    private let host: USBHost
    private let handle: OpaquePointer

    private let inbound = InboundStream()
    // Everything below is guarded by `condition`, except `interface` and `pool`, which only `close` and
    // `retune` touch after every callback has returned.
    private let condition = NSCondition()
    private var interface: ClaimedInterface?
    private var pool: TransferPool?
    private var inFlight = 0
    private var closed = false
    private var cancelling = false
    private var lost: TransportError?
    private var counters = USBStreamCounters()
    private var consecutiveErrors = 0
    private static let maxConsecutiveErrors = 64
    private let sendLock = NSLock()

    public var description: String { info.uri.description }

    /// Opens the first Mosquito matching `uri` (and its serial, when given) and starts receiving.
    public convenience init(uri: DeviceURI, host: USBHost, transfersInFlight: Int = TransferSizing.transfersInFlight,
                            sendTimeoutMs: UInt32 = 1000) throws(TransportError) {
        guard case .usb(let vid, let pid, let serial) = uri else { throw .other("\(uri) is not a USB device URI") }
        let list: USBDeviceList
        do { list = try USBDeviceList(host: host) } catch { throw error.transportError("USB") }
        var refusal: TransportError?
        for device in list.devices {
            guard let facts = try? USBDeviceFacts(device), facts.info.vendorID == vid, facts.info.productID == pid else { continue }
            let handle: USBDeviceHandle
            do { handle = try USBDeviceHandle(device: device) } catch {
                refusal = refusal ?? error.transportError(
                    "USB Mosquito at bus \(facts.info.bus) address \(facts.info.address) (\(facts.info.nodePath))")
                continue
            }
            let info = facts.described(by: handle)
            if let serial, info.serial != serial { continue }
            let packet = Int(libusb_get_max_packet_size(device, USBIdentity.bulkIn))
            try self.init(handle: handle, info: info, maxPacketSize: packet > 0 ? packet : 512, host: host,
                          transfersInFlight: transfersInFlight, sendTimeoutMs: sendTimeoutMs)
            return
        }
        throw refusal ?? .notFound(uri.description)
    }

    private init(handle: consuming USBDeviceHandle, info: USBDeviceInfo, maxPacketSize: Int, host: USBHost,
                 transfersInFlight: Int, sendTimeoutMs: UInt32) throws(TransportError) {
        self.info = info
        self.maxPacketSize = maxPacketSize
        self.host = host
        self.transfersInFlight = max(1, transfersInFlight)
        self.sendTimeoutMs = sendTimeoutMs
        self.handle = handle.raw
        do { interface = try ClaimedInterface(handle, number: USBIdentity.interfaceNumber) } catch {
            throw error.transportError(info.uri.description)
        }
        let bytes = (TransferSizing.defaultBytes + maxPacketSize - 1) / maxPacketSize * maxPacketSize
        try startStreaming(transferBytes: bytes)
    }

    deinit { close() }

    /// What the driver has seen so far.
    public var streamCounters: USBStreamCounters { condition.withLock { counters } }
    public var transferBytes: Int { condition.withLock { pool?.transferBytes ?? 0 } }

    // MARK: Transport

    public func send(_ bytes: UnsafeRawBufferPointer) throws(TransportError) {
        sendLock.lock()
        defer { sendLock.unlock() }
        try refuseIfGone()
        var offset = 0
        while offset < bytes.count {
            var sent: Int32 = 0
            let chunk = bytes.count - offset
            let rc = libusb_bulk_transfer(
                handle, USBIdentity.bulkOut,
                UnsafeMutableRawPointer(mutating: bytes.baseAddress! + offset).assumingMemoryBound(to: UInt8.self),
                Int32(chunk), &sent, sendTimeoutMs)
            do { try USBCall.check("libusb_bulk_transfer(OUT)", rc) } catch {
                if error.code == .timeout {
                    throw .other("\(description): the instrument took no command for \(sendTimeoutMs) ms (bulk OUT timed out)")
                }
                throw error.transportError(description)
            }
            offset += Int(sent)
        }
    }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, timeoutMs: Int32) throws(TransportError) -> Int {
        try inbound.take(into: buffer, timeoutMs: timeoutMs)
    }

    /// Cancels every transfer, waits for all their callbacks, then releases the interface and closes the device.
    public func close() {
        condition.lock()
        if closed {
            condition.unlock()
            return
        }
        closed = true
        condition.broadcast()
        condition.unlock()
        inbound.close()
        cancelAllAndWait()
        interface = nil
        pool = nil
    }

    // MARK: Streaming

    private func startStreaming(transferBytes: Int) throws(TransportError) {
        let made: TransferPool
        do {
            made = try TransferPool(
                count: transfersInFlight, transferBytes: transferBytes, handle: handle, endpoint: USBIdentity.bulkIn,
                callback: inboundCompleted, userData: Unmanaged.passUnretained(self).toOpaque())
        } catch { throw error.transportError(description) }
        let transfers = made.transfers
        pool = consume made
        condition.lock()
        defer { condition.unlock() }
        for t in transfers {
            do { try submit(t) } catch {
                let failure = error.transportError(description)
                lose(failure)
                throw failure
            }
        }
    }

    /// Called with `condition` held.
    private func submit(_ t: UnsafeMutablePointer<libusb_transfer>) throws(USBError) {
        try USBCall.check("libusb_submit_transfer", libusb_submit_transfer(t))
        inFlight += 1
    }

    private func cancelAllAndWait() {
        condition.lock()
        cancelling = true
        let transfers = pool?.transfers ?? []
        condition.unlock()
        // A transfer that already completed answers NOT_FOUND; its callback has run or is running.
        for t in transfers { _ = libusb_cancel_transfer(t) }
        condition.lock()
        while inFlight > 0 { condition.wait() }
        cancelling = false
        condition.unlock()
    }

    /// Throws why the link can take nothing more (closed, or lost), if it cannot.
    private func refuseIfGone() throws(TransportError) {
        let refusal: TransportError? = condition.withLock { closed ? .closed : lost }
        if let refusal { throw refusal }
    }

    /// Sizes IN transfers to ~10 ms of the stream the session's CONFIGURE is about to ask for, before it goes out.
    public func willConfigure(rateHz rate: UInt32, channelMask mask: UInt32) throws(TransportError) {
        sendLock.lock()
        defer { sendLock.unlock() }
        try refuseIfGone()
        let wanted = TransferSizing.transferBytes(
            rateHz: rate, channels: mask.nonzeroBitCount, maxPacketSize: maxPacketSize)
        guard wanted != transferBytes else { return }
        cancelAllAndWait()
        pool = nil
        try startStreaming(transferBytes: wanted)
    }

    /// The completion callback, on the event thread.
    fileprivate func completed(_ t: UnsafeMutablePointer<libusb_transfer>) {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        inFlight -= 1
        let length = Int(t.pointee.actual_length)
        if length > 0 {
            inbound.deliver(UnsafeRawBufferPointer(start: t.pointee.buffer, count: length))
            counters.bytes += UInt64(length)
        }
        counters.transfers += 1
        switch t.pointee.status {
        case LIBUSB_TRANSFER_COMPLETED, LIBUSB_TRANSFER_TIMED_OUT:
            consecutiveErrors = 0
        case LIBUSB_TRANSFER_CANCELLED:
            return
        case LIBUSB_TRANSFER_STALL:
            // The endpoint halted; clearing it is a synchronous ioctl, safe from the callback.
            counters.stalls += 1
            do { try USBDeviceHandleRef(handle).clearHalt(endpoint: USBIdentity.bulkIn) } catch {
                if error.code == .noDevice { return unplugged() }
                return lose(error.transportError(description))
            }
        case LIBUSB_TRANSFER_NO_DEVICE:
            return unplugged()
        default:
            counters.errors += 1
            consecutiveErrors += 1
            // A one-off CRC or babble on the bus is retried; an endpoint that keeps failing is a broken link.
            if consecutiveErrors > Self.maxConsecutiveErrors {
                return lose(.other("\(description): bulk IN failed \(consecutiveErrors) times in a row"))
            }
        }
        guard !closed, !cancelling, lost == nil else { return }
        do { try submit(t) } catch {
            if error.code == .noDevice { return unplugged() }
            lose(error.transportError(description))
        }
    }

    /// Called with `condition` held.
    private func lose(_ error: TransportError) {
        guard lost == nil else { return }
        lost = error
        inbound.fail(error)
    }

    private func unplugged() {
        lose(.disconnected("USB Mosquito \(info.serial ?? "?") unplugged (was bus \(info.bus) address \(info.address))"))
    }
}

/// Counts a test or a status line can show.
public struct USBStreamCounters: Sendable, Equatable {
    public var transfers: UInt64 = 0
    public var bytes: UInt64 = 0
    /// Bulk IN stalls cleared and streamed through.
    public var stalls: UInt64 = 0
    /// Transfers that failed for another reason and were resubmitted.
    public var errors: UInt64 = 0
}

/// A borrowed view of an open handle, for calls made while the owner is alive elsewhere.
struct USBDeviceHandleRef {
    let raw: OpaquePointer
    init(_ raw: OpaquePointer) { self.raw = raw }
    func clearHalt(endpoint: UInt8) throws(USBError) {
        try USBCall.check("libusb_clear_halt", libusb_clear_halt(raw, endpoint))
    }
}

private let inboundCompleted: libusb_transfer_cb_fn = { transfer in
    guard let transfer, let context = transfer.pointee.user_data else { return }
    Unmanaged<USBTransport>.fromOpaque(context).takeUnretainedValue().completed(transfer)
}
