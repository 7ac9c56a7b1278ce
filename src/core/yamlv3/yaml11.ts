// kyaml's IsValueNonString: whether gopkg.in/yaml.v2 (YAML 1.1) would read a plain value as
// something other than a string. Flux quotes such a value when a setter writes it.

const YAML11_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', '~', 'null', 'Null', 'NULL', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN'])
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/

export function isYaml11NonString(v: string): boolean {
  if (v === '' || v.includes('\n')) return false
  if (YAML11_WORDS.has(v)) return true
  if (/^[-+]?[0-9.]/.test(v)) {
    const plain = v.replaceAll('_', '')
    if (goParseIntBase0(plain) || YAML_FLOAT.test(plain)) return true
  }
  // Collections and maps: "a: b", "- x", "[…]", "{…}".
  return /^(- |\[.*\]$|\{.*\}$)|: /.test(v)
}

// strconv.ParseInt(s, 0, 64) / ParseUint: sign, 0x / 0o / 0b prefixes, a leading 0 for octal.
function goParseIntBase0(s: string): boolean {
  return /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.test(s)
}
