// The shell scripts `flux-imgauto completion <shell>` prints. Each asks the CLI itself
// (`flux-imgauto __complete …`, Cobra's protocol) and applies the directive, as Cobra's own
// generated scripts do, so the shells and `flux imgauto <TAB>` always agree.

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

const fn = (bin: string): string => `_${bin.replace(/[^A-Za-z0-9]/g, '_')}`

// bash: the words up to the cursor come from COMP_LINE, not COMP_WORDS, because bash splits
// COMP_WORDS at "=" and ":" (COMP_WORDBREAKS); a "--flag=value" or "arn:aws:…" candidate is
// then cut back to the part bash is replacing, as Cobra's __ltrim_colon_completions does.
function bash(bin: string): string {
  return `# bash completion for ${bin}. Load it with: source <(${bin} completion bash)
${fn(bin)}() {
  local line="\${COMP_LINE:0:COMP_POINT}" cur out directive c
  local -a words candidates
  read -r -a words <<< "$line"
  if [[ "$line" == *" " ]]; then cur=""; else cur="\${words[\${#words[@]}-1]}"; unset 'words[\${#words[@]}-1]'; fi
  out=$("\${words[0]}" __completeNoDesc "\${words[@]:1}" "$cur" 2>/dev/null) || return 0
  directive="\${out##*:}"
  [[ "$directive" =~ ^[0-9]+$ ]] || directive=0
  (( directive & 1 )) && return 0
  mapfile -t candidates < <(printf '%s\\n' "$out" | sed '$d')
  COMPREPLY=()
  for c in "\${candidates[@]}"; do
    [[ -z "$c" ]] && continue
    # bash replaces only its own current word, which COMP_WORDBREAKS may have cut short.
    c="\${c#"\${cur%"\${COMP_WORDS[COMP_CWORD]}"}"}"
    COMPREPLY+=("$c")
  done
  (( directive & 2 )) && compopt -o nospace 2>/dev/null
  if (( \${#COMPREPLY[@]} == 0 )) && (( (directive & 4) == 0 )); then compopt -o default 2>/dev/null; fi
  return 0
}
complete -F ${fn(bin)} ${bin}
`
}

function zsh(bin: string): string {
  return `#compdef ${bin}
# zsh completion for ${bin}. Load it with: source <(${bin} completion zsh)
${fn(bin)}() {
  local -a words_before lines candidates
  local out directive line
  words_before=("\${(@)words[2,CURRENT-1]}")
  out=$(\${words[1]} __complete "\${words_before[@]}" "\${words[CURRENT]}" 2>/dev/null) || return 1
  lines=("\${(@f)out}")
  directive=\${lines[-1]#:}
  (( directive & 1 )) && return 1
  for line in "\${(@)lines[1,-2]}"; do
    [[ -z "$line" ]] && continue
    # _describe reads "value:description"; a ":" inside the value (an EKS context) is escaped.
    if [[ "$line" == *$'\\t'* ]]; then
      candidates+=("\${\${line%%$'\\t'*}//:/\\\\:}:\${line#*$'\\t'}")
    else
      candidates+=("\${line//:/\\\\:}")
    fi
  done
  if (( \${#candidates} > 0 )); then
    if (( directive & 2 )); then _describe -t values 'values' candidates -S ''; else _describe -t values 'values' candidates; fi
  elif (( (directive & 4) == 0 )); then
    _files
  fi
}
compdef ${fn(bin)} ${bin}
`
}

function fish(bin: string): string {
  return `# fish completion for ${bin}. Load it with: ${bin} completion fish | source
function __${fn(bin).slice(1)}_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l out (${bin} __complete $words[2..-1] "$cur" 2>/dev/null)
    or return
    set -l directive (string replace -r '^:' '' -- $out[-1])
    if test (math "bitand($directive, 1)") -ne 0
        return
    end
    for line in $out[1..-2]
        test -n "$line"; and echo $line
    end
    if test (count $out) -le 1; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$cur"
    end
end
complete -c ${bin} -f -a '(__${fn(bin).slice(1)}_complete)'
`
}

export function completionScript(shell: Shell, bin: string): string {
  return { bash, zsh, fish }[shell](bin)
}
