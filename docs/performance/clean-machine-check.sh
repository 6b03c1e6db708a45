#!/usr/bin/env bash
# What a new user meets, end to end, on this machine:
#   dotnet pack (every package, with symbols) → a local folder feed → a fresh console app and a .NET 10 file-based
#   script that run the StxmPhase package page's example → dotnet tool install (--tool-path) → stxmphase demo.
# Prints the package sizes and the time of every step. Not part of the test run (it takes minutes and downloads
# nothing new only when the NuGet cache already holds TorchSharp and libtorch).
#
# Usage: docs/performance/clean-machine-check.sh [work-folder]
#   STXMPHASE_CHECK_ISOLATED_CACHE=1  use an empty NuGet package folder in the work folder (a truly clean machine;
#                                     downloads ≈ 1 GB from the machine's package sources)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/stxmphase-clean.XXXXXX")}
mkdir -p "$work"
work=$(cd "$work" && pwd)
feed=$work/feed
version=0.1.0-check.$(date +%Y%m%d%H%M%S)   # unique: the NuGet cache can never serve an older build
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [[ "${STXMPHASE_CHECK_ISOLATED_CACHE:-0}" == 1 ]]; then export NUGET_PACKAGES=$work/packages; fi
libtorch_version=$(sed -n 's/.*Include="libtorch-cpu-linux-x64" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")
report=$work/report.txt
: > "$report"
step() { # name, command...
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  echo "== $name" >&2
  "$@" > "$work/$name.log" 2>&1 || { echo "FAILED: $name (log: $work/$name.log)" >&2; tail -30 "$work/$name.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  printf '%-28s %7.1f s\n' "$name" "$(echo "$t1 - $t0" | bc)" | tee -a "$report" >&2
}

# 1. Pack every library and the tool (a .nupkg and a .snupkg each).
pack_all() {
  for proj in "$root"/src/*/*.csproj; do
    dotnet pack "$proj" -c Release -o "$feed" -p:Version="$version" -p:ContinuousIntegrationBuild=true
  done
}
step pack pack_all

# A NuGet configuration for the new projects: the local feed first, then the machine's own sources.
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="stxmphase-local" value="$feed" />
  </packageSources>
</configuration>
XML

# The example of the StxmPhase package page (what nuget.org shows), as the program.
example=$(awk '/^```csharp/{p=1; next} /^```/{if(p){exit}} p' "$root/src/StxmPhase/PACKAGE.md")

# 2. A fresh console app with the packages a user adds.
console_app() {
  dotnet new console -o "$work/app" --force
  cd "$work/app"
  dotnet add package StxmPhase --version "$version"
  dotnet add package "libtorch-cpu-linux-x64" --version "$libtorch_version"
  printf '%s\n' "$example" > Program.cs
  dotnet run -c Release
}
step console-app console_app

# 3. A .NET 10 file-based script with the same code.
file_script() {
  mkdir -p "$work/script"
  cd "$work/script"
  cp "$work/nuget.config" .
  { echo "#:package StxmPhase@$version"; echo "#:package libtorch-cpu-linux-x64@$libtorch_version"; printf '%s\n' "$example"; } > map.cs
  dotnet run map.cs
}
step file-based-script file_script

# 4. The tool, installed from the feed, then its demo.
step tool-install dotnet tool install StxmPhase.Cli --version "$version" --tool-path "$work/tools" --add-source "$feed"
step demo "$work/tools/stxmphase" demo --out "$work/demo" --quiet

{
  echo
  echo "packages ($feed):"
  (cd "$feed" && ls -l --block-size=K ./*.nupkg ./*.snupkg | awk '{printf "  %-60s %8s\n", $9, $5}')
  echo "installed tool: $(du -sh "$work/tools" | cut -f1)"
  echo "demo:"
  grep -E "accuracy|time:" "$work/demo.log" | sed 's/^/  /'
  echo "console app output: $(tail -1 "$work/console-app.log")"
  echo "script output:      $(tail -1 "$work/file-based-script.log")"
} | tee -a "$report" >&2
echo "Report: $report" >&2
