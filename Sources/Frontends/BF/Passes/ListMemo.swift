/// Values worked out for op lists, keyed by the list's storage. Lists are values, so storage a
/// pass left as it was (`bottomUpIfChanged`, `KnownCells`) names the same ops; each entry holds
/// its list, so that the storage cannot be freed and its address reused for another list while
/// the entry exists. (Empty lists may all share one address; they are equal too.)
struct ListMemo<Value> {
    private var entries: [UnsafeRawPointer: (list: [BFOp], value: Value)] = [:]

    /// The value remembered for `list`, else `compute()`'s, remembered.
    mutating func value(for list: [BFOp], _ compute: () -> Value) -> Value {
        guard let address = list.storageAddress else { return compute() }
        if let hit = entries[address], hit.list.count == list.count { return hit.value }
        let value = compute()
        entries[address] = (list, value)
        return value
    }
}

extension Array where Element == BFOp {
    /// The address of the list's storage (nil when it has none).
    var storageAddress: UnsafeRawPointer? { withUnsafeBufferPointer { $0.baseAddress.map(UnsafeRawPointer.init) } }
}
