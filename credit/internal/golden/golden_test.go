package golden

import "testing"

func TestFirstDifference(t *testing.T) {
	for _, tt := range []struct{ want, got, out string }{
		{"a\nb\nc", "a\nx\nc", "line 2:\n  want: b\n  got:  x"},
		{"a\nb", "a\nb\nc", "line 3:\n  want: \n  got:  c"},
		{"a\nb\nc", "a", "line 2:\n  want: b\n  got:  "},
		{"a\r\nb", "a\nb", "line 1:\n  want: a\r\n  got:  a"},
		{"", "x", "line 1:\n  want: \n  got:  x"},
	} {
		if out := firstDifference([]byte(tt.want), []byte(tt.got)); out != tt.out {
			t.Errorf("firstDifference(%q, %q) = %q, want %q", tt.want, tt.got, out, tt.out)
		}
	}
}
