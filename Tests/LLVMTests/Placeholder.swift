import Testing

@Test func placeholderLLVMTests() { #expect(true) }
