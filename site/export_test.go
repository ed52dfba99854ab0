package site

// WaitPrelink has Build wait for its prelinking to end (prelinkWait) until the returned function is called.
func WaitPrelink() func() {
	prelinkWait.Store(true)
	return func() { prelinkWait.Store(false) }
}
