package networking

import (
	"fmt"
	"math/bits"
	"net/netip"
)

// Zone is one Availability Zone's share of the VPC.
type Zone struct {
	Public, Private netip.Prefix
}

// Layout is the VPC's address layout. The block is split into Slots equal
// zone blocks, Slots being MaxZones rounded up to a power of two; zone i
// takes block i, its first half public, its second half private.
//
// Zone i's subnets depend only on the block and MaxZones, never on how many
// zones are in use: adding a zone adds subnets and re-addresses none, and
// removing one removes only its own. (awsx's automatic layout, which
// earlier versions used, sized the blocks from the number of zones in use,
// so 2 -> 3 zones moved every subnet.) For MaxZones equal to the zone count
// awsx was given, the layout is exactly awsx's: stacks deployed with it keep
// their subnets.
type Layout struct {
	Block    netip.Prefix
	MaxZones int
}

// Slots is how many zone blocks the VPC is split into.
func (l Layout) Slots() int {
	s := 1
	for s < l.MaxZones {
		s *= 2
	}
	return s
}

// Zones returns the subnets of the first n zones.
func (l Layout) Zones(n int) ([]Zone, error) {
	if n > l.MaxZones {
		return nil, fmt.Errorf("the address layout has room for %d zones, not %d", l.MaxZones, n)
	}
	zoneBits := l.Block.Bits() + bits.Len(uint(l.Slots()-1))
	if zoneBits+1 > 28 {
		return nil, fmt.Errorf("%s is too small for %d zones: a subnet would be smaller than /28", l.Block, l.MaxZones)
	}
	zones := make([]Zone, n)
	for i := range zones {
		zone := nth(l.Block, zoneBits, i)
		zones[i] = Zone{Public: nth(zone, zoneBits+1, 0), Private: nth(zone, zoneBits+1, 1)}
	}
	return zones, nil
}

// nth is the i-th /bits block inside p.
func nth(p netip.Prefix, bitsLen, i int) netip.Prefix {
	base := p.Masked().Addr().As4()
	v := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	v += uint32(i) << (32 - bitsLen)
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), bitsLen)
}
