package backoff

import "runtime"

// owned is a C handle (a pointer, H) that belongs to one Go object, a Policy or a State: close frees it
// at once, and a cleanup frees it if the owner becomes unreachable first. Using it after close panics
// rather than passing a freed pointer to C.
type owned[H comparable] struct {
	handle  H
	free    func(H)
	cleanup runtime.Cleanup
	kind    string // the owner's type, for the panic message
}

// adopt makes owner, the object that embeds slot, responsible for handle.
func adopt[O any, H comparable](owner *O, slot *owned[H], handle H, free func(H), kind string) {
	*slot = owned[H]{handle: handle, free: free, kind: kind}
	slot.cleanup = runtime.AddCleanup(owner, free, handle)
}

// close frees the handle; a second call is a no-op.
func (o *owned[H]) close() {
	var closed H
	if o.handle == closed {
		return
	}
	o.cleanup.Stop()
	o.free(o.handle)
	o.handle = closed
}

func (o *owned[H]) live() H {
	var closed H
	if o.handle == closed {
		panic("backoff: " + o.kind + " used after Close")
	}
	return o.handle
}
