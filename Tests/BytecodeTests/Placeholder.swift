import Testing

@Test func placeholderBytecodeTests() { #expect(true) }
