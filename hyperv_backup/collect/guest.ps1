<#
.SYNOPSIS
    Inventory of the storage inside one Windows guest, for hyperv_backup.

.DESCRIPTION
    Prints one JSON document ("collector": "hyperv_backup.guest/1") with what
    only the guest can see: its disks (bus, partition style, basic or
    dynamic), its volumes and file systems, where each keeps its shadow
    copies, its iSCSI disks, and its volume shadow copy services. It only
    reads; it changes nothing.

    Rights: a local Administrator of the guest, in an elevated Windows
    PowerShell 3.0 or later; diskpart refuses other users. Written for
    Windows PowerShell 5.1; PowerShell 7 untested.

    The document names its VM with the values Hyper-V's data exchange
    integration service writes into the guest (VirtualMachineId,
    VirtualMachineName); `hyperv-backup collect` matches it to the VM by them.
    With data exchange disabled they are missing: fill in VirtualMachineName.

    Output: UTF-8. With -OutFile the file is written as UTF-8 without a
    byte-order mark; `>` in Windows PowerShell 5.1 writes UTF-16, also read.

.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File guest.ps1 -OutFile "$env:COMPUTERNAME-guest.json"
#>
[CmdletBinding()]
param([string]$OutFile)

$ErrorActionPreference = 'Stop'

function Get-DiskId($Signature, $Guid) {
    if ($Guid) { $Guid } elseif ($Signature) { '{0:X8}' -f [uint32]$Signature } else { $null }
}

$savedEncoding = [Console]::OutputEncoding
try {
    # diskpart then writes UTF-8 to us, and we to whoever reads us.
    # Without a console (a scheduled task) there is nothing to set.
    try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { }
    $storageModule = [bool](Get-Command Get-Disk -ErrorAction SilentlyContinue)

    # What Hyper-V's data exchange service tells the guest about its VM.
    $kvp = Get-ItemProperty 'HKLM:\SOFTWARE\Microsoft\Virtual Machine\Guest\Parameters' -ErrorAction SilentlyContinue

    # Disks: Get-Disk (Windows Server 2012 / Windows 8 and later) knows the bus,
    # the partition style and the exact size; Win32_DiskDrive is there on older guests.
    $disks = if ($storageModule) {
        Get-Disk | ForEach-Object {
            [ordered]@{
                Number = $_.Number; BusType = $_.BusType; BusTypeName = "$($_.BusType)"
                PartitionStyle = $_.PartitionStyle; PartitionStyleName = "$($_.PartitionStyle)"
                Size = $_.Size; DiskId = Get-DiskId $_.Signature $_.Guid
            } }
    } else {
        Get-CimInstance Win32_DiskDrive | ForEach-Object {
            [ordered]@{
                Number = [int]$_.Index; InterfaceType = $_.InterfaceType
                Size = $null  # Win32_DiskDrive rounds the size down to whole cylinders
                DiskId = Get-DiskId $_.Signature $null
            } }
    }

    # Which disks each volume lives on: through the volume's access paths, or
    # (older guests) through the partitions behind each drive letter.
    $onDisks = @{}
    if ($storageModule) {
        foreach ($partition in Get-Partition) {
            foreach ($path in @($partition.AccessPaths)) { $onDisks[$path] = @($onDisks[$path]) + $partition.DiskNumber }
        }
    } else {
        foreach ($link in Get-CimInstance Win32_LogicalDiskToPartition) {
            $number = [int]($link.Antecedent.DeviceID -replace '^Disk #(\d+),.*$', '$1')
            $onDisks["$($link.Dependent.DeviceID)\"] = @($number)
        }
    }
    $volumes = Get-CimInstance Win32_Volume -Filter 'DriveType = 3' | ForEach-Object {
        $numbers = if ($onDisks[$_.DeviceID]) { $onDisks[$_.DeviceID] } else { $onDisks[$_.Name] }
        [ordered]@{
            Name = $_.Name; DriveLetter = $_.DriveLetter; DeviceId = $_.DeviceID
            FileSystem = $_.FileSystem; DiskNumbers = @($numbers | Where-Object { $null -ne $_ })
        }
    }

    # iSCSI disks: no session can exist while the initiator service is stopped.
    $iscsi = @()
    if ((Get-Service MSiSCSI -ErrorAction SilentlyContinue).Status -eq 'Running') {
        $iscsi = if (Get-Command Get-IscsiSession -ErrorAction SilentlyContinue) {
            Get-IscsiSession | ForEach-Object {
                $session = $_
                Get-Disk -IscsiSession $session | ForEach-Object {
                    [ordered]@{ DiskNumber = $_.Number; TargetNodeAddress = $session.TargetNodeAddress } }
            }
        } else {
            # iscsicli names each session's disks \\.\PhysicalDriveN, in every language.
            [regex]::Matches((iscsicli SessionList | Out-String), '\\\\\.\\PhysicalDrive(\d+)') | ForEach-Object {
                [ordered]@{ DiskNumber = [int]$_.Groups[1].Value; TargetNodeAddress = $null } }
        }
    }

    # The guest's VSS service and the Hyper-V volume shadow copy requestor.
    $services = @(Get-CimInstance Win32_Service -Filter "Name = 'VSS' OR Name = 'vmicvss'")

    # Where each volume keeps its shadow copies, by volume device id (the same
    # in every display language). With the VSS service disabled there are no
    # shadow copies, and asking would only fail: the list is empty.
    $vss = $services | Where-Object { $_.Name -eq 'VSS' } | Select-Object -First 1
    $shadowStorage = @()
    if ($vss -and $vss.StartMode -ne 'Disabled') {
        $shadowStorage = @(Get-CimInstance Win32_ShadowStorage | ForEach-Object {
            [ordered]@{ Volume = $_.Volume.DeviceID; DiffVolume = $_.DiffVolume.DeviceID } })
    }

    $document = [ordered]@{
        collector = 'hyperv_backup.guest/1'
        CollectedAt = [DateTime]::UtcNow
        ComputerName = $env:COMPUTERNAME
        VirtualMachineName = $kvp.VirtualMachineName
        VirtualMachineId = $kvp.VirtualMachineId
        Disks = @($disks)
        Volumes = @($volumes)
        IscsiDisks = @($iscsi)
        Services = @($services | ForEach-Object {
            [ordered]@{ Name = $_.Name; StartMode = $_.StartMode; State = $_.State } })
        ShadowStorage = $shadowStorage
        # Only diskpart says which disks are dynamic (its Dyn column).
        DiskpartListDisk = ('list disk' | diskpart.exe | Out-String)
    }
    $json = $document | ConvertTo-Json -Depth 6
    if ($OutFile) {
        [IO.File]::WriteAllText($OutFile, $json, (New-Object System.Text.UTF8Encoding $false))
    } else {
        $json
    }
} finally {
    try { [Console]::OutputEncoding = $savedEncoding } catch { }
}
