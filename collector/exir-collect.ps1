<#
.SYNOPSIS
  exir-collect: gathers, on one Exchange server, the logs and files exir reads for an incident window,
  into one zip with a manifest of every file's SHA-256.

.DESCRIPTION
  Run it on the Exchange server, in Windows PowerShell 5.1, as a local administrator. It installs
  nothing, reaches no network and changes nothing on the server: it only reads, and writes only
  inside the output folder. Files in use (live logs) are read with shared access so a busy server
  is not blocked. What it could not read is listed in the manifest with the reason.

  Then, on the responder's machine:  exir scan <the zip>   (or  exir case add-evidence CASE <the zip>)

.PARAMETER From
  Start of the window (UTC). Logs last written before it are left out.
.PARAMETER To
  End of the window (UTC). Event logs are cut to the window; other logs are taken whole.
.PARAMETER OutDir
  Folder for the zip and the manifest (made if missing). Prefer a disk other than the system disk.
.PARAMETER MaxTotalMB
  Stop adding files once this much has been read; the rest is listed in the manifest as not collected.
#>
[CmdletBinding()]
param(
  [datetime]$From = '{{FROM}}',
  [datetime]$To = '{{TO}}',
  [string]$OutDir = (Join-Path -Path $env:SystemDrive -ChildPath 'exir-collect'),
  [long]$MaxTotalMB = {{MAX_MB}}
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$CollectorVersion = '{{VERSION}}'
$From = $From.ToUniversalTime()
$To = $To.ToUniversalTime()
if ($To -le $From) { throw 'To must be later than From.' }

$principal = New-Object -TypeName Security.Principal.WindowsPrincipal -ArgumentList ([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw 'Run this script from an elevated PowerShell (Run as administrator): the logs and event logs need it.'
}

Add-Type -AssemblyName System.IO.Compression
$Invariant = [Globalization.CultureInfo]::InvariantCulture
$Started = [DateTime]::UtcNow
$HostName = $env:COMPUTERNAME
$Stamp = $Started.ToString("yyyyMMdd'T'HHmmss'Z'", $Invariant)
$MaxTotalBytes = $MaxTotalMB * 1MB

if (-not (Test-Path -LiteralPath $OutDir)) { $null = New-Item -ItemType Directory -Path $OutDir }
$OutDir = (Resolve-Path -LiteralPath $OutDir).ProviderPath
# Exports made by Windows tools (wevtutil, Export-Csv) go here first, then into the zip, then away.
$Work = Join-Path -Path $OutDir -ChildPath "exir-work-$Stamp"
$null = New-Item -ItemType Directory -Path $Work
$ZipPath = Join-Path -Path $OutDir -ChildPath "exir-$HostName-$Stamp.zip"
$ManifestPath = Join-Path -Path $OutDir -ChildPath "exir-$HostName-$Stamp.manifest.json"

$Files = New-Object -TypeName Collections.ArrayList
$NotCollected = New-Object -TypeName Collections.ArrayList
$script:TotalBytes = [long]0

function Format-Utc([datetime]$Time) {
  return $Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", $Invariant)
}

function Add-NotCollected([string]$Source, [string]$Reason) {
  $null = $NotCollected.Add([ordered]@{ source = $Source; reason = $Reason })
  Write-Warning -Message "not collected: $Source ($Reason)"
}

# Copies one file into the zip while hashing it, reading with shared access so that a log the server
# is still writing is neither blocked nor locked.
function Add-ZipFile([IO.Compression.ZipArchive]$Archive, [string]$Source, [string]$Entry) {
  $info = Get-Item -LiteralPath $Source -Force
  if (($script:TotalBytes + $info.Length) -gt $MaxTotalBytes) {
    Add-NotCollected -Source $Source -Reason "the -MaxTotalMB limit of $MaxTotalMB MB was reached"
    return
  }
  $sha = [Security.Cryptography.SHA256]::Create()
  $in = $null
  $out = $null
  try {
    $in = [IO.File]::Open($Source, [IO.FileMode]::Open, [IO.FileAccess]::Read, [IO.FileShare]'ReadWrite, Delete')
    $zipEntry = $Archive.CreateEntry($Entry, [IO.Compression.CompressionLevel]::Optimal)
    $zipEntry.LastWriteTime = $info.LastWriteTime
    $out = $zipEntry.Open()
    $buffer = New-Object -TypeName byte[] -ArgumentList 1048576
    $size = [long]0
    while (($n = $in.Read($buffer, 0, $buffer.Length)) -gt 0) {
      $null = $sha.TransformBlock($buffer, 0, $n, $null, 0)
      $out.Write($buffer, 0, $n)
      $size += $n
    }
    $null = $sha.TransformFinalBlock($buffer, 0, 0)
    $hex = -join ($sha.Hash | ForEach-Object -Process { $_.ToString('x2') })
    $script:TotalBytes += $size
    $null = $Files.Add([ordered]@{
        path     = $Entry
        source   = $Source
        size     = $size
        created  = Format-Utc -Time $info.CreationTimeUtc
        modified = Format-Utc -Time $info.LastWriteTimeUtc
        sha256   = $hex
      })
  } catch {
    Add-NotCollected -Source $Source -Reason $_.Exception.Message
  } finally {
    if ($null -ne $out) { $out.Dispose() }
    if ($null -ne $in) { $in.Dispose() }
    $sha.Dispose()
  }
}

# Every file under a folder last written inside the window (a log last written before it holds
# nothing of it), kept under the given name in the zip.
function Add-ZipFolder([IO.Compression.ZipArchive]$Archive, [string]$Folder, [string]$Under) {
  if (-not (Test-Path -LiteralPath $Folder)) {
    Add-NotCollected -Source $Folder -Reason 'folder not found'
    return
  }
  $root = (Resolve-Path -LiteralPath $Folder).ProviderPath.TrimEnd('\')
  try {
    $items = Get-ChildItem -LiteralPath $root -Recurse -File -Force -ErrorAction Stop
  } catch {
    Add-NotCollected -Source $Folder -Reason $_.Exception.Message
    return
  }
  foreach ($item in $items) {
    if ($item.LastWriteTimeUtc -lt $From) { continue }
    $relative = $item.FullName.Substring($root.Length).TrimStart('\').Replace('\', '/')
    Add-ZipFile -Archive $Archive -Source $item.FullName -Entry "$Under/$relative"
  }
}

function Get-ExchangePath {
  if ($env:ExchangeInstallPath) { return $env:ExchangeInstallPath.TrimEnd('\') }
  foreach ($key in @('HKLM:\SOFTWARE\Microsoft\ExchangeServer\v15\Setup', 'HKLM:\SOFTWARE\Microsoft\ExchangeServer\v14\Setup')) {
    $setup = Get-ItemProperty -LiteralPath $key -ErrorAction SilentlyContinue
    if ($null -ne $setup -and $setup.PSObject.Properties['MsiInstallPath']) { return ([string]$setup.MsiInstallPath).TrimEnd('\') }
  }
  return $null
}

# IIS writes each site's logs where its own configuration says, not always under inetpub.
function Get-IisLogFolders {
  $folders = New-Object -TypeName Collections.ArrayList
  $config = Join-Path -Path $env:windir -ChildPath 'System32\inetsrv\config\applicationHost.config'
  if (-not (Test-Path -LiteralPath $config)) { return $folders }
  $xml = New-Object -TypeName Xml.XmlDocument
  $xml.Load($config)
  $defaults = $xml.SelectSingleNode('/configuration/system.applicationHost/sites/siteDefaults/logFile')
  $defaultDir = '%SystemDrive%\inetpub\logs\LogFiles'
  if ($null -ne $defaults -and $defaults.GetAttribute('directory')) { $defaultDir = $defaults.GetAttribute('directory') }
  foreach ($site in $xml.SelectNodes('/configuration/system.applicationHost/sites/site')) {
    $dir = $defaultDir
    $logFile = $site.SelectSingleNode('logFile')
    if ($null -ne $logFile -and $logFile.GetAttribute('directory')) { $dir = $logFile.GetAttribute('directory') }
    $expanded = [Environment]::ExpandEnvironmentVariables($dir)
    $null = $folders.Add([ordered]@{ site = $site.GetAttribute('name'); folder = (Join-Path -Path $expanded -ChildPath ('W3SVC' + $site.GetAttribute('id'))) })
  }
  return $folders
}

function Export-EventChannel([IO.Compression.ZipArchive]$Archive, [string]$Channel) {
  $name = ($Channel -replace '[\\/:*?"<>| ]', '-') + '.evtx'
  $target = Join-Path -Path $Work -ChildPath $name
  $query = "*[System[TimeCreated[@SystemTime>='$(Format-Utc -Time $From)' and @SystemTime<='$(Format-Utc -Time $To)']]]"
  $output = & "$env:windir\System32\wevtutil.exe" 'epl' $Channel $target "/q:$query" 2>&1
  if ($LASTEXITCODE -ne 0) {
    Add-NotCollected -Source "event log $Channel" -Reason ([string]::Join(' ', @($output)))
    return
  }
  Add-ZipFile -Archive $Archive -Source $target -Entry "eventlogs/$name"
  Remove-Item -LiteralPath $target -Force
}

# A listing of the web folders with each file's SHA-256: exir compares it with Microsoft's
# known-good files, so web shells show even when no log names them.
function Export-WebListing([IO.Compression.ZipArchive]$Archive, [string[]]$Folders) {
  $rows = New-Object -TypeName Collections.ArrayList
  foreach ($folder in $Folders) {
    if (-not (Test-Path -LiteralPath $folder)) {
      Add-NotCollected -Source $folder -Reason 'folder not found (listing)'
      continue
    }
    foreach ($item in (Get-ChildItem -LiteralPath $folder -Recurse -File -Force -ErrorAction SilentlyContinue)) {
      $hex = ''
      try {
        $stream = [IO.File]::Open($item.FullName, [IO.FileMode]::Open, [IO.FileAccess]::Read, [IO.FileShare]'ReadWrite, Delete')
        try {
          $sha = [Security.Cryptography.SHA256]::Create()
          $hex = -join ($sha.ComputeHash($stream) | ForEach-Object -Process { $_.ToString('x2') })
          $sha.Dispose()
        } finally {
          $stream.Dispose()
        }
      } catch {
        Add-NotCollected -Source $item.FullName -Reason "not hashed: $($_.Exception.Message)"
      }
      $null = $rows.Add([pscustomobject][ordered]@{
          FullName         = $item.FullName
          Length           = $item.Length
          CreationTimeUtc  = Format-Utc -Time $item.CreationTimeUtc
          LastWriteTimeUtc = Format-Utc -Time $item.LastWriteTimeUtc
          SHA256           = $hex
        })
    }
  }
  $target = Join-Path -Path $Work -ChildPath 'web-folders-listing.csv'
  $rows | Export-Csv -LiteralPath $target -NoTypeInformation -Encoding UTF8
  Add-ZipFile -Archive $Archive -Source $target -Entry 'listing/web-folders-listing.csv'
  Remove-Item -LiteralPath $target -Force
}

function Export-ServerFacts([IO.Compression.ZipArchive]$Archive, [string]$ExchangePath) {
  $updates = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*' -ErrorAction SilentlyContinue |
    Where-Object -FilterScript { $_.PSObject.Properties['DisplayName'] -and ([string]$_.DisplayName) -like '*Exchange*' } |
    Select-Object -Property DisplayName, DisplayVersion, InstallDate, PSChildName
  $target = Join-Path -Path $Work -ChildPath 'installed-updates.csv'
  @($updates) | Export-Csv -LiteralPath $target -NoTypeInformation -Encoding UTF8
  Add-ZipFile -Archive $Archive -Source $target -Entry 'server/installed-updates.csv'
  Remove-Item -LiteralPath $target -Force

  # With the Exchange snap-in, the server's own view of its build and virtual directories.
  try {
    Add-PSSnapin -Name Microsoft.Exchange.Management.PowerShell.SnapIn -ErrorAction Stop
  } catch {
    Add-NotCollected -Source 'Get-ExchangeServer and virtual directories' -Reason 'Exchange management snap-in not available'
    return
  }
  $commands = [ordered]@{
    'exchange-server'       = { Get-ExchangeServer -Identity $HostName -Status }
    'owa-virtual-directory' = { Get-OwaVirtualDirectory -Server $HostName -ADPropertiesOnly }
    'ecp-virtual-directory' = { Get-EcpVirtualDirectory -Server $HostName -ADPropertiesOnly }
    'oab-virtual-directory' = { Get-OabVirtualDirectory -Server $HostName -ADPropertiesOnly }
    'web-services-virtual-directory' = { Get-WebServicesVirtualDirectory -Server $HostName -ADPropertiesOnly }
    'powershell-virtual-directory'   = { Get-PowerShellVirtualDirectory -Server $HostName -ADPropertiesOnly }
  }
  foreach ($name in $commands.Keys) {
    $target = Join-Path -Path $Work -ChildPath "$name.xml"
    try {
      & $commands[$name] | Export-Clixml -LiteralPath $target -Depth 3
      Add-ZipFile -Archive $Archive -Source $target -Entry "server/$name.xml"
      Remove-Item -LiteralPath $target -Force
    } catch {
      Add-NotCollected -Source $name -Reason $_.Exception.Message
    }
  }
}

Write-Host "exir-collect $CollectorVersion on $HostName, window $(Format-Utc -Time $From) to $(Format-Utc -Time $To)"
$exchange = Get-ExchangePath
$build = $null
$zipStream = [IO.File]::Open($ZipPath, [IO.FileMode]::CreateNew, [IO.FileAccess]::ReadWrite, [IO.FileShare]::None)
$archive = New-Object -TypeName IO.Compression.ZipArchive -ArgumentList $zipStream, ([IO.Compression.ZipArchiveMode]::Create)
try {
  if ($null -eq $exchange) {
    Add-NotCollected -Source 'Exchange logs' -Reason 'Exchange install path not found (ExchangeInstallPath, registry)'
  } else {
    $exSetup = Join-Path -Path $exchange -ChildPath 'Bin\ExSetup.exe'
    if (Test-Path -LiteralPath $exSetup) { $build = (Get-Item -LiteralPath $exSetup).VersionInfo.FileVersion }
    $logFolders = [ordered]@{
      'HttpProxy'     = 'Logging\HttpProxy'
      'ECP'           = 'Logging\ECP'
      'OABGenerator'  = 'Logging\OABGeneratorLog'
      'Rps_Http'      = 'Logging\CmdletInfra\Powershell-Proxy\Http'
      'Rps_Cmdlet'    = 'Logging\CmdletInfra\Powershell-Proxy\Cmdlet'
      'EWS'           = 'Logging\Ews'
      'MessageTracking' = 'TransportRoles\Logs\MessageTracking'
    }
    foreach ($name in $logFolders.Keys) {
      Write-Host "  $name"
      Add-ZipFolder -Archive $archive -Folder (Join-Path -Path $exchange -ChildPath $logFolders[$name]) -Under "exchange/$name"
    }
    foreach ($tree in @('FrontEnd\HttpProxy', 'ClientAccess')) {
      $treePath = Join-Path -Path $exchange -ChildPath $tree
      if (-not (Test-Path -LiteralPath $treePath)) { continue }
      foreach ($config in (Get-ChildItem -LiteralPath $treePath -Recurse -File -Filter 'web.config' -Force -ErrorAction SilentlyContinue)) {
        $relative = $config.FullName.Substring($exchange.Length).TrimStart('\').Replace('\', '/')
        Add-ZipFile -Archive $archive -Source $config.FullName -Entry "config/exchange/$relative"
      }
    }
  }

  Write-Host '  IIS logs'
  foreach ($site in (Get-IisLogFolders)) {
    Add-ZipFolder -Archive $archive -Folder $site.folder -Under ('iis/' + (Split-Path -Path $site.folder -Leaf))
  }
  $appHost = Join-Path -Path $env:windir -ChildPath 'System32\inetsrv\config\applicationHost.config'
  if (Test-Path -LiteralPath $appHost) { Add-ZipFile -Archive $archive -Source $appHost -Entry 'config/iis/applicationHost.config' }

  Write-Host '  event logs'
  foreach ($channel in @('Application', 'Security', 'System', 'MSExchange Management', 'Microsoft-Windows-Sysmon/Operational',
      'Microsoft-Windows-PowerShell/Operational', 'Microsoft-Windows-Windows Defender/Operational')) {
    Export-EventChannel -Archive $archive -Channel $channel
  }

  Write-Host '  web folder listing'
  $webFolders = @((Join-Path -Path $env:SystemDrive -ChildPath 'inetpub\wwwroot\aspnet_client'),
    (Join-Path -Path $env:windir -ChildPath 'Microsoft.NET\Framework64\v4.0.30319\Temporary ASP.NET Files'))
  if ($null -ne $exchange) {
    $webFolders += @((Join-Path -Path $exchange -ChildPath 'FrontEnd\HttpProxy'), (Join-Path -Path $exchange -ChildPath 'ClientAccess'))
  }
  Export-WebListing -Archive $archive -Folders $webFolders

  Write-Host '  server facts'
  Export-ServerFacts -Archive $archive -ExchangePath $exchange

  $zone = [TimeZoneInfo]::Local
  # The machine's own names, read locally (no name lookup on the network).
  $ipProps = [Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
  $Fqdn = $ipProps.HostName
  if ($ipProps.DomainName) { $Fqdn = "$($ipProps.HostName).$($ipProps.DomainName)" }
  $manifest = [ordered]@{
    format       = 'exir-collect-manifest'
    version      = 1
    collector    = [ordered]@{ name = 'exir-collect'; version = $CollectorVersion }
    server       = [ordered]@{
      name             = $HostName
      fqdn             = $Fqdn
      build            = $build
      timeZone         = $zone.Id
      utcOffsetMinutes = [int]$zone.GetUtcOffset([DateTime]::UtcNow).TotalMinutes
      clockUtc         = Format-Utc -Time ([DateTime]::UtcNow)
    }
    collectedBy  = [Security.Principal.WindowsIdentity]::GetCurrent().Name
    startedAt    = Format-Utc -Time $Started
    finishedAt   = Format-Utc -Time ([DateTime]::UtcNow)
    window       = [ordered]@{ from = Format-Utc -Time $From; to = Format-Utc -Time $To }
    limits       = [ordered]@{ maxTotalBytes = $MaxTotalBytes }
    files        = @($Files)
    notCollected = @($NotCollected)
  }
  $json = ConvertTo-Json -InputObject $manifest -Depth 6
  $utf8 = New-Object -TypeName Text.UTF8Encoding -ArgumentList $false
  [IO.File]::WriteAllText($ManifestPath, $json, $utf8)
  $entry = $archive.CreateEntry('manifest.json', [IO.Compression.CompressionLevel]::Optimal)
  $writer = New-Object -TypeName IO.StreamWriter -ArgumentList $entry.Open(), $utf8
  $writer.Write($json)
  $writer.Dispose()
} finally {
  $archive.Dispose()
  $zipStream.Dispose()
  Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

$zipHash = (Get-FileHash -LiteralPath $ZipPath -Algorithm SHA256).Hash.ToLowerInvariant()
$utf8 = New-Object -TypeName Text.UTF8Encoding -ArgumentList $false
[IO.File]::WriteAllText("$ZipPath.sha256", "$zipHash  $(Split-Path -Path $ZipPath -Leaf)`n", $utf8)
Write-Host ''
Write-Host "Collected $($Files.Count) files ($([math]::Round($script:TotalBytes / 1MB, 1)) MB); $($NotCollected.Count) not collected (listed in the manifest)."
Write-Host "  $ZipPath"
Write-Host "  SHA-256 $zipHash  (note it in your custody record)"
Write-Host "  $ManifestPath"
Write-Host 'Copy the zip off the server and run:  exir scan <the zip>'
