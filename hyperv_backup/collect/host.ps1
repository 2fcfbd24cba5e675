<#
.SYNOPSIS
    Inventory of one Hyper-V host, or one failover cluster node, for hyperv_backup.

.DESCRIPTION
    Prints one JSON document ("collector": "hyperv_backup.host/1") that
    `hyperv-backup collect` turns into an inventory. It only reads; it changes
    nothing on the host.

    Rights: a local Administrator, in an elevated Windows PowerShell 3.0 or
    later. Written for Windows PowerShell 5.1; PowerShell 7 untested. The
    Hyper-V cmdlets, the root\virtualization WMI namespace, vssadmin and the
    cluster cmdlets all refuse other users.

    Cluster: run it on EVERY node and give all the documents to
    `hyperv-backup collect` together; each node sees only the VMs it hosts.
    On a host where the Cluster service is installed, the service must be
    running and the FailoverClusters module present, or the script stops
    with a message saying which. A host that is in no cluster although the
    Failover Clustering feature is installed is collected with -NotClustered.

    The host is named by its DNS host name (on a cluster node, as the
    cluster spells it), not by its NetBIOS name, which is cut at 15
    characters.

    Windows Server 2012 and later are read through the Hyper-V module;
    Windows Server 2008 and 2008 R2, which have no Hyper-V module, through the
    root\virtualization (v1) WMI namespace. The cluster section needs the
    FailoverClusters module (Windows Server 2008 R2 and later).

    Through the Hyper-V module it also reads what the profiles of Windows
    Server 2012 and later ask: each VM's generation, configuration version,
    checkpoint type, checkpoint file location, integration services state,
    SCSI controller, virtual Fibre Channel adapters and Hyper-V Replica mode,
    state and health, each checkpoint's kind, parent and disks, the
    differencing disks and change tracking files (.avhdx, .avhd, .rct, .mrt)
    of the VM's folders, and each disk's file size, parent files and whether
    it is shared by a guest cluster; on every release the host's volumes and
    their free space, and on a cluster node the cluster functional level. Whether an SMB file
    server runs the File Server VSS Agent is not visible from the host, nor is
    what the backup application does (its route through Hyper-V, whether it
    leaves out disks a checkpoint cannot hold, its target and churn): set
    them in the inventory by hand (docs/collector-formats.md).

    Output: UTF-8. With -OutFile the file is written as UTF-8 without a
    byte-order mark. Redirecting with `>` in Windows PowerShell 5.1 writes
    UTF-16 instead; hyperv_backup reads that too.

.PARAMETER OutFile
    Where to write the document; without it, it goes to standard output.

.PARAMETER EventHours
    Also export the events of the last N hours (1 to 8760) that record
    backups: the Hyper-V VMMS and Worker Admin logs, the VSS events of the
    Application log, the volsnap events of the System log and the Windows
    Server Backup log. They go beside the document, in a file named after it
    (HV01.json: HV01.events.json, JSON as Get-WinEvent | ConvertTo-Json
    writes it), and the document's EventLogs section names that file and
    says how many events each log gave, or why a log could not be read (a
    log that does not exist on this host, such as the Windows Server Backup
    log where it is not installed). Needs -OutFile. `hyperv-backup collect`
    keeps the events with the inventory, and `hyperv-backup diagnose` reads
    them.

.PARAMETER Catalog
    Also export Windows Server Backup's catalogue of this host: each backup
    set Get-WBBackupSet lists, with its version identifier (UTC), its backup
    time, target and what it can recover, and the VMs of its Hyper-V
    application. It goes beside the document, in a file named after it
    (HV01.json: HV01.wbcatalog.json), and the document's BackupCatalog
    section names that file and says how many sets it holds, or why the
    catalogue could not be read (Windows Server Backup not installed, no
    backup yet). Needs -OutFile. `hyperv-backup collect -o` keeps it with the
    inventory, and `hyperv-backup check --backups` reads it.

.PARAMETER NotClustered
    This host is in no failover cluster, though the Cluster service is
    installed (the feature is there, no cluster uses it): leave the cluster
    section out. Refused when the Cluster service is running.

.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File host.ps1 -OutFile "$env:COMPUTERNAME.json"

.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File host.ps1 -OutFile "$env:COMPUTERNAME.json" -EventHours 24

.EXAMPLE
    powershell.exe -NoProfile -ExecutionPolicy Bypass -File host.ps1 -OutFile "$env:COMPUTERNAME.json" -EventHours 24 -Catalog
#>
[CmdletBinding()]
param([string]$OutFile, [switch]$NotClustered, [ValidateRange(0, 8760)][int]$EventHours = 0, [switch]$Catalog)

$ErrorActionPreference = 'Stop'

# The backup (volume shadow copy) integration service, found by the last part
# of its Id: its Name is localized, this id is not (docs/collector-formats.md,
# "Integration services").
$VssServiceId = '5CED1297-4598-4915-A5FC-AD21BB4D02A4'

# Where the Hyper-V VSS writer is registered with Windows Server Backup (KB958662).
$WsbKey = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\WindowsServerBackup\Application Support\{66841CD4-6DED-4F4B-8F17-FD23F8DDC3DE}'

$V1 = 'root\virtualization'

# The files of a VM's folders the document lists: the differencing disks checkpoints
# make, and the change tracking files of Windows Server 2016 (docs/collector-formats.md,
# "Checkpoints and differencing disks").
$FolderFileTypes = '.avhdx', '.avhd', '.rct', '.mrt'

# Every enum goes out twice: its number and its name (ConvertTo-Json writes only the number).
function Get-Enum($Value) { if ($null -eq $Value) { $null, $null } else { [int]$Value, "$Value" } }

function Get-HostDiskId($Number) {
    # The identity a pass-through disk shows inside the guest too: its GPT GUID or MBR signature.
    $disk = Get-CimInstance Win32_DiskDrive -Filter "Index = $Number"
    if ($disk -and $disk.Signature) { '{0:X8}' -f [uint32]$disk.Signature }
    elseif (Get-Command Get-Disk -ErrorAction SilentlyContinue) { (Get-Disk -Number $Number).Guid }
}

# The logs that record backups, and the providers taken from the shared ones:
# the logs hyperv_backup's diagnosis reads (docs/diagnose.md).
$EventSources = @(
    @{ LogName = 'Microsoft-Windows-Hyper-V-VMMS-Admin' },
    @{ LogName = 'Microsoft-Windows-Hyper-V-Worker-Admin' },
    @{ LogName = 'Application'; ProviderName = 'VSS' },
    @{ LogName = 'System'; ProviderName = 'volsnap' },
    @{ LogName = 'Microsoft-Windows-Backup' }
)

function Export-EventLogs($Hours, $Path) {
    # Each log on its own, so that one the host lacks costs only its own events.
    $since = [DateTime]::UtcNow.AddHours(-$Hours)
    $events = New-Object System.Collections.ArrayList
    $logs = foreach ($source in $EventSources) {
        $filter = @{ StartTime = $since.ToLocalTime() } + $source
        $count = 0
        $problem = $null
        try {
            $found = @(Get-WinEvent -FilterHashtable $filter -ErrorAction Stop |
                Select-Object -Property 'Id', 'ProviderName', 'Level', 'LogName', 'MachineName', 'RecordId',
                    'TimeCreated', 'Message', 'Properties')
            $count = $found.Count
            [void]$events.AddRange($found)
        } catch {
            # No event in the window is an empty answer, not a failure.
            if ("$($_.FullyQualifiedErrorId)" -notlike 'NoMatchingEventsFound*') { $problem = $_.Exception.Message }
        }
        [ordered]@{ LogName = $source.LogName; ProviderName = $source.ProviderName; Count = $count; Error = $problem }
    }
    # Depth 4: the array, each event, its Properties, and each property's Value.
    $json = ConvertTo-Json -InputObject @($events) -Depth 4
    [IO.File]::WriteAllText($Path, $json, (New-Object System.Text.UTF8Encoding $false))
    [ordered]@{ File = [IO.Path]::GetFileName($Path); Hours = $Hours; Since = $since; Logs = @($logs) }
}

function Export-Catalog($Path) {
    # Windows Server Backup's own catalogue of this host. Only what the reader takes is
    # kept, under the cmdlet's own names: a set's components that are VMs carry a VMName
    # (the Hyper-V application's WBVirtualMachine; Start-WBHyperVRecovery takes one as
    # $set.Application[0].Component[0]). VersionId is in UTC; BackupTime is written as
    # ConvertTo-Json writes a DateTime.
    $sets = @()
    $problem = $null
    try {
        if (-not (Get-Command Get-WBBackupSet -ErrorAction SilentlyContinue)) {
            throw 'Get-WBBackupSet is not available: the Windows Server Backup feature and its command-line tools are not installed'
        }
        $sets = @(Get-WBBackupSet -ErrorAction Stop | ForEach-Object {
            [ordered]@{
                VersionId = $_.VersionId
                BackupTime = $_.BackupTime
                BackupTarget = "$($_.BackupTarget)"
                RecoverableItems = "$($_.RecoverableItems)"
                Application = @($_.Application | ForEach-Object {
                    [ordered]@{ Component = @($_.Component | Where-Object { $_.VMName } | ForEach-Object {
                        [ordered]@{ VMName = $_.VMName } }) } })
            } })
    } catch {
        $problem = $_.Exception.Message
    }
    # Depth 6: the array, each set, its applications, their components, and each component's name.
    $json = ConvertTo-Json -InputObject @($sets) -Depth 6
    [IO.File]::WriteAllText($Path, $json, (New-Object System.Text.UTF8Encoding $false))
    [ordered]@{ File = [IO.Path]::GetFileName($Path); Count = $sets.Count; Error = $problem }
}

# --- Windows Server 2012 and later: the Hyper-V module -----------------------------

function Get-ParentPaths($Vhd) {
    # The files a differencing disk rests on, its parent first. A parent Get-VHD cannot
    # read ends the walk, and so does a chain longer than any Hyper-V keeps.
    $parents = @()
    $parent = $Vhd.ParentPath
    while ($parent -and $parents.Count -lt 64) {
        $parents += $parent
        try { $parent = (Get-VHD -Path $parent -ErrorAction Stop).ParentPath } catch { $parent = $null }
    }
    $parents
}

function Get-DriveFromModule($Drive) {
    $type, $typeName = Get-Enum $Drive.ControllerType
    $record = [ordered]@{
        ControllerType = $type; ControllerTypeName = $typeName
        ControllerNumber = $Drive.ControllerNumber; ControllerLocation = $Drive.ControllerLocation
        Path = $null; DiskNumber = $Drive.DiskNumber; DiskId = $null
        VhdType = $null; VhdTypeName = $null; VhdError = $null; Size = $null; FileSize = $null
        ParentPaths = @()
        # Shared by a guest cluster (shared VHDX, or a VHD Set with a .vhds path).
        SupportPersistentReservations = [bool]$Drive.SupportPersistentReservations
    }
    if ($null -ne $Drive.DiskNumber) {
        # Pass-through: a host disk number and no virtual hard disk file.
        $record.DiskId = Get-HostDiskId $Drive.DiskNumber
        $record.Size = (Get-Disk -Number $Drive.DiskNumber).Size
    } else {
        $record.Path = $Drive.Path
        # A file Get-VHD cannot read (missing, access denied) is recorded, not
        # skipped: hyperv_backup refuses the drive and says why.
        try {
            $vhd = Get-VHD -Path $Drive.Path -ErrorAction Stop
            $vhdType, $vhdTypeName = Get-Enum $vhd.VhdType
            $record.VhdType = $vhdType; $record.VhdTypeName = $vhdTypeName; $record.Size = $vhd.Size
            # The bytes the file takes on the host: what a backup's differencing disks grow from.
            $record.FileSize = $vhd.FileSize
            # More differencing files than checkpoints is a merge that did not complete.
            $record.ParentPaths = @(Get-ParentPaths $vhd)
        } catch {
            $record.VhdError = "$($_.Exception.Message)"
        }
    }
    $record
}

# Enums of the later facts go out by name only: the numbers of some (ReplicationState
# among them) differ between Hyper-V module versions (docs/collector-formats.md).
function Get-Name($Value) { if ($null -eq $Value) { $null } else { "$Value" } }

function Get-FolderFiles($VM, $Drives) {
    # The folders of the VM's configuration, checkpoints and disks, each read once and
    # not recursed; a folder several VMs share is read for each of them.
    $folders = @($VM.ConfigurationLocation, $VM.SnapshotFileLocation) +
        @($Drives | Where-Object { $_.Path } | ForEach-Object { [IO.Path]::GetDirectoryName($_.Path) })
    @($folders | Where-Object { $_ } | Select-Object -Unique | ForEach-Object {
            Get-ChildItem -LiteralPath $_ -File -ErrorAction SilentlyContinue } |
        Where-Object { $FolderFileTypes -contains $_.Extension } |
        Select-Object -First 2000 | ForEach-Object { $_.FullName })
}

function Get-VMsFromModule {
    foreach ($vm in Get-VM) {
        $state, $stateName = Get-Enum $vm.State
        $drives = @(Get-VMHardDiskDrive -VM $vm | ForEach-Object { Get-DriveFromModule $_ })
        [ordered]@{
            Name = $vm.Name; Id = "$($vm.Id)"; State = $state; StateName = $stateName
            # The facts of the later profiles. CheckpointType exists from 2016 on
            # (null before); a generation 2 VM always has a SCSI controller.
            Generation = $vm.Generation; Version = Get-Name $vm.Version
            CheckpointTypeName = Get-Name $vm.CheckpointType
            # Where the VM's checkpoint files go; the volume is compared with its disks'.
            SnapshotFileLocation = $vm.SnapshotFileLocation
            # "Up to date" or "Update required" where Hyper-V compares the guest's
            # integration services with the host's (2012 R2); often empty from 2016 on.
            IntegrationServicesStateName = Get-Name $vm.IntegrationServicesState
            HasScsiController = [bool](Get-VMScsiController -VM $vm -ErrorAction SilentlyContinue)
            FibreChannelHbas = @(Get-VMFibreChannelHba -VM $vm -ErrorAction SilentlyContinue | ForEach-Object {
                [ordered]@{ Name = $_.Name; SanName = $_.SanName } })
            ReplicationModeName = Get-Name $vm.ReplicationMode
            ReplicationStateName = Get-Name $vm.ReplicationState
            ReplicationHealthName = Get-Name $vm.ReplicationHealth
            IntegrationServices = @(Get-VMIntegrationService -VM $vm | ForEach-Object {
                [ordered]@{ Name = $_.Name; Id = $_.Id; Enabled = $_.Enabled } })
            HardDrives = $drives
            Snapshots = @(Get-VMSnapshot -VM $vm | ForEach-Object {
                [ordered]@{
                    Name = $_.Name; CreationTime = $_.CreationTime.ToUniversalTime()
                    # Standard, Recovery (a backup's own), Planned, Missing, or a kind of
                    # Hyper-V Replica's recovery points; the one it was taken after.
                    SnapshotTypeName = Get-Name $_.SnapshotType
                    ParentSnapshotName = $_.ParentSnapshotName
                    # The files that hold the VM's disks as they were when it was taken.
                    DiskPaths = @(Get-VMHardDiskDrive -VMSnapshot $_ -ErrorAction SilentlyContinue |
                        ForEach-Object { $_.Path })
                } })
            # The differencing disks and change tracking files of the VM's folders.
            FolderFiles = @(Get-FolderFiles $vm $drives)
            NetworkAdapters = @(Get-VMNetworkAdapter -VM $vm | ForEach-Object {
                [ordered]@{ Name = $_.Name; SwitchName = $_.SwitchName } })
        }
    }
}

function Get-SwitchesFromModule {
    foreach ($switch in Get-VMSwitch) {
        $type, $typeName = Get-Enum $switch.SwitchType
        # The VLAN of the management OS adapter on this switch, if it has one.
        $vlan = Get-VMNetworkAdapter -ManagementOS -ErrorAction SilentlyContinue |
            Where-Object { $_.SwitchName -eq $switch.Name } |
            Get-VMNetworkAdapterVlan | Select-Object -First 1
        [ordered]@{
            Name = $switch.Name; SwitchType = $type; SwitchTypeName = $typeName
            NetAdapterInterfaceDescription = $switch.NetAdapterInterfaceDescription
            VlanId = if ($vlan -and $vlan.AccessVlanId) { $vlan.AccessVlanId } else { $null }
        }
    }
}

# --- Windows Server 2008 and 2008 R2: WMI root\virtualization (v1) ------------------
# Not run in hyperv_backup's own tests (no Windows there); it follows the v1 WMI model.
# Only numbers go out for states, types and buses: hyperv_backup's tables name them.

function Get-V1($Class, $Filter) {
    $query = @{ Namespace = $V1; ClassName = $Class }
    if ($Filter) { $query.Filter = $Filter }
    Get-CimInstance @query
}
function Get-Linked($Instance, $Class) { Get-CimAssociatedInstance -InputObject $Instance -ResultClassName $Class }
# WMI object paths double their backslashes; undo that before looking for a key in one.
function Test-Refers($Path, $Key) { "$Path".Replace('\\', '\').Contains($Key) }

# A VM's Msvm_ComputerSystem is named by its GUID; the host's own is named by the
# host. (Its Caption, "Virtual Machine", is translated on other display languages.)
$GuidPattern = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$'

function Get-VMsFromWmiV1 {
    $images = Get-V1 Msvm_ImageManagementService
    $ports = @(Get-V1 Msvm_SwitchPort)
    $switches = @(Get-V1 Msvm_VirtualSwitch)
    foreach ($vm in Get-V1 Msvm_ComputerSystem | Where-Object { $_.Name -match $GuidPattern }) {
        $settings = @(Get-V1 Msvm_VirtualSystemSettingData "SystemName = '$($vm.Name)'")
        $current = $settings | Where-Object { $_.SettingType -eq 3 } | Select-Object -First 1
        $rasd = @(Get-Linked $current Msvm_ResourceAllocationSettingData)
        $controllers = @($rasd | Where-Object { $_.ResourceSubType -match 'IDE Controller|SCSI Controller' })
        $scsi = @($controllers | Where-Object { $_.ResourceSubType -match 'SCSI' })
        $drives = foreach ($drive in $rasd | Where-Object { $_.ResourceSubType -match 'Disk Drive$' }) {
            $controller = $controllers | Where-Object { Test-Refers $drive.Parent $_.InstanceID } | Select-Object -First 1
            $isIde = $controller.ResourceSubType -match 'IDE'
            $record = [ordered]@{
                ControllerType = if ($isIde) { 0 } else { 1 }
                ControllerNumber = if ($isIde) { [int]$controller.Address } else { [array]::IndexOf($scsi, $controller) }
                ControllerLocation = [int]$drive.Address
                Path = $null; DiskNumber = $null; DiskId = $null; VhdType = $null; VhdError = $null; Size = $null
            }
            if ($drive.ResourceSubType -match 'Physical') {
                # Pass-through: HostResource names the host's Msvm_DiskDrive. Left unresolved,
                # the drive has neither path nor disk number, and hyperv_backup says so.
                $hostDisk = Get-V1 Msvm_DiskDrive | Where-Object { Test-Refers $drive.HostResource $_.DeviceID } | Select-Object -First 1
                if ($hostDisk) {
                    $record.DiskNumber = [int]$hostDisk.DriveNumber
                    $record.DiskId = Get-HostDiskId $record.DiskNumber
                }
            } else {
                $image = $rasd | Where-Object { $_.ResourceSubType -match 'Virtual Hard Disk' -and (Test-Refers $_.Parent $drive.InstanceID) }
                $record.Path = @($image.Connection)[0]
                if (-not $record.Path) { $record; continue }
                # As with Get-VHD: a file that cannot be read is recorded, not skipped.
                try {
                    $info = Invoke-CimMethod -InputObject $images -MethodName GetVirtualHardDiskInfo -Arguments @{ Path = $record.Path }
                    if ($info.ReturnValue -ne 0) { throw "GetVirtualHardDiskInfo returned $($info.ReturnValue)" }
                    $properties = ([xml]$info.Info).INSTANCE.PROPERTY
                    $record.VhdType = [int]($properties | Where-Object { $_.NAME -eq 'Type' }).VALUE
                    $record.Size = [uint64]($properties | Where-Object { $_.NAME -eq 'MaxInternalSize' }).VALUE
                } catch {
                    $record.VhdError = "$($_.Exception.Message)"
                }
            }
            $record
        }
        $adapters = foreach ($nic in @(Get-Linked $current Msvm_SyntheticEthernetPortSettingData) + @(Get-Linked $current Msvm_EmulatedEthernetPortSettingData)) {
            $port = $ports | Where-Object { "$(@($nic.Connection)[0])".Contains($_.Name) } | Select-Object -First 1
            $switch = if ($port) { $switches | Where-Object { $_.Name -eq $port.SystemName } }
            [ordered]@{ Name = $nic.ElementName; SwitchName = if ($switch) { $switch.ElementName } else { $null } }
        }
        [ordered]@{
            # v1 numbering (EnabledState): paused 32768, saved 32769 (docs/collector-formats.md).
            Name = $vm.ElementName; Id = $vm.Name; State = [int]$vm.EnabledState
            # The backup service is the one of class Msvm_VssComponentSettingData; its
            # InstanceID text is not relied on. The Id written is the language-neutral
            # one the Hyper-V module shows for it.
            IntegrationServices = @(Get-Linked $current Msvm_VssComponentSettingData | ForEach-Object {
                [ordered]@{ Name = $_.ElementName; Id = "Microsoft:$($vm.Name)\$VssServiceId"; Enabled = $_.EnabledState -eq 2 } })
            HardDrives = @($drives)
            Snapshots = @($settings | Where-Object { $_.SettingType -eq 5 } | ForEach-Object {
                [ordered]@{ Name = $_.ElementName; CreationTime = $_.CreationTime.ToUniversalTime() } })
            NetworkAdapters = @($adapters)
        }
    }
}

function Get-SwitchesFromWmiV1 {
    foreach ($switch in Get-V1 Msvm_VirtualSwitch) {
        # Walk two associations out from the switch ports to the host's Ethernet ports.
        $near = @(Get-Linked $switch Msvm_SwitchPort | ForEach-Object { Get-CimAssociatedInstance -InputObject $_ })
        $far = @($near | ForEach-Object { Get-CimAssociatedInstance -InputObject $_ }) + $near
        $external = $far | Where-Object { $_.CimClass.CimClassName -eq 'Msvm_ExternalEthernetPort' } | Select-Object -First 1
        $internal = $far | Where-Object { $_.CimClass.CimClassName -eq 'Msvm_InternalEthernetPort' }
        $type = if ($external) { 2 } elseif ($internal) { 1 } else { 0 }
        [ordered]@{
            Name = $switch.ElementName; SwitchType = $type
            NetAdapterInterfaceDescription = if ($external) { $external.ElementName } else { $null }
            VlanId = $null
        }
    }
}

# --- the failover cluster, on a node ------------------------------------------------

function Get-ClusterSection {
    $service = Get-Service ClusSvc -ErrorAction SilentlyContinue
    if (-not $service) { return $null }  # no Failover Clustering feature: a standalone host
    if ($service.Status -ne 'Running') {
        if ($NotClustered) { return $null }
        throw ("The Cluster service (ClusSvc) is installed but $($service.Status). On a cluster " +
            "node, start it (Start-Service ClusSvc) and run this script again: the cluster's " +
            "inventory needs every node's document. On a host that is in no cluster, run " +
            "again with -NotClustered.")
    }
    if ($NotClustered) {
        throw "The Cluster service is running, so this host is a cluster node: run without -NotClustered."
    }
    if (-not (Get-Module -ListAvailable FailoverClusters)) {
        throw ("This host is a cluster node, but the FailoverClusters PowerShell module is " +
            "missing (Windows Server 2008 has none; on later releases install the feature " +
            "RSAT-Clustering-PowerShell). The cluster section cannot be read without it.")
    }
    Import-Module FailoverClusters
    $types = 'Virtual Machine', 'Virtual Machine Configuration', 'Physical Disk'
    $theCluster = Get-Cluster
    [ordered]@{
        Name = $theCluster.Name
        # 8 for Windows Server 2012 R2, 9 for 2016...; null before 2016, which has none.
        FunctionalLevel = $theCluster.ClusterFunctionalLevel
        Nodes = @(Get-ClusterNode | ForEach-Object { $_.Name })
        Groups = @(Get-ClusterGroup | ForEach-Object {
            $state, $stateName = Get-Enum $_.State
            [ordered]@{ Name = $_.Name; OwnerNode = $_.OwnerNode.Name; State = $state; StateName = $stateName } })
        Resources = @(Get-ClusterResource | Where-Object { $types -contains $_.ResourceType.Name } | ForEach-Object {
            $state, $stateName = Get-Enum $_.State
            # A VM's resources carry its id in their private property VmID.
            $vmId = if ($_.ResourceType.Name -like 'Virtual Machine*') { ($_ | Get-ClusterParameter -Name VmID).Value }
            [ordered]@{
                Name = $_.Name; ResourceType = $_.ResourceType.Name; OwnerGroup = $_.OwnerGroup.Name
                OwnerNode = $_.OwnerNode.Name; State = $state; StateName = $stateName; VmId = $vmId
            } })
        SharedVolumes = @(Get-ClusterSharedVolume -ErrorAction SilentlyContinue | ForEach-Object {
            $state, $stateName = Get-Enum $_.State
            [ordered]@{
                Name = $_.Name; OwnerNode = $_.OwnerNode.Name; State = $state; StateName = $stateName
                Path = $_.SharedVolumeInfo[0].FriendlyVolumeName
            } })
    }
}

# --- the document -------------------------------------------------------------------

if ($EventHours -gt 0 -and -not $OutFile) {
    throw '-EventHours needs -OutFile: the events are written beside the document.'
}
if ($Catalog -and -not $OutFile) {
    throw '-Catalog needs -OutFile: the catalogue is written beside the document.'
}

$savedEncoding = [Console]::OutputEncoding
try {
    # Native tools (vssadmin) then write UTF-8 to us, and we to whoever reads us.
    # Without a console (a scheduled task) there is nothing to set.
    try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { }

    $os = Get-CimInstance Win32_OperatingSystem
    $cluster = Get-ClusterSection
    # The DNS host name, not $env:COMPUTERNAME (the NetBIOS name, cut at 15
    # characters); on a cluster node, spelled as the cluster spells the node.
    $hostName = (Get-CimInstance Win32_ComputerSystem).DNSHostName
    if (-not $hostName) { $hostName = $env:COMPUTERNAME }
    if ($cluster) {
        $node = @($cluster.Nodes | Where-Object { $_ -eq $hostName -or $_ -eq $env:COMPUTERNAME })
        if ($node.Count -eq 1) { $hostName = $node[0] }
    }
    $module = [bool](Get-Command Get-VM -Module Hyper-V -ErrorAction SilentlyContinue)
    # $null: unknown. Windows Server 2008 has no ServerManager module to ask.
    $wsbInstalled = $null
    if (Get-Module -ListAvailable ServerManager) {
        Import-Module ServerManager
        $features = Get-WindowsFeature -Name 'Windows-Server-Backup', 'Backup' -ErrorAction SilentlyContinue
        $wsbInstalled = [bool]($features | Where-Object { $_.Installed })
    }
    $wsbIdentifier = (Get-ItemProperty -Path $WsbKey -ErrorAction SilentlyContinue).'Application Identifier'

    $document = [ordered]@{
        collector = 'hyperv_backup.host/1'
        CollectedAt = [DateTime]::UtcNow
        ComputerName = $hostName
        OperatingSystem = [ordered]@{ Caption = $os.Caption; Version = $os.Version; ProductType = [int]$os.ProductType }
        HyperVApi = if ($module) { 'module' } else { 'wmi-v1' }
        VMs = @(if ($module) { Get-VMsFromModule } else { Get-VMsFromWmiV1 })
        VMSwitches = @(if ($module) { Get-SwitchesFromModule } else { Get-SwitchesFromWmiV1 })
        HotFixes = @(Get-HotFix | ForEach-Object { $_.HotFixID })
        # The host's local disk volumes (drive type 3) and their free space, for the
        # differencing disks a backup makes beside the VMs' disks.
        HostVolumes = @(Get-CimInstance Win32_Volume -Filter 'DriveType = 3' | Where-Object { $_.Name } | ForEach-Object {
            [ordered]@{ Name = $_.Name; FreeSpace = $_.FreeSpace } })
        VssWriters = (vssadmin list writers | Out-String)
        WindowsServerBackup = [ordered]@{ Installed = $wsbInstalled; ApplicationIdentifier = $wsbIdentifier }
        Cluster = $cluster
        EventLogs = if ($EventHours -gt 0) {
            Export-EventLogs $EventHours ([IO.Path]::ChangeExtension($OutFile, '.events.json'))
        } else { $null }
        BackupCatalog = if ($Catalog) {
            Export-Catalog ([IO.Path]::ChangeExtension($OutFile, '.wbcatalog.json'))
        } else { $null }
    }
    $json = $document | ConvertTo-Json -Depth 8
    if ($OutFile) {
        [IO.File]::WriteAllText($OutFile, $json, (New-Object System.Text.UTF8Encoding $false))
    } else {
        $json
    }
} finally {
    try { [Console]::OutputEncoding = $savedEncoding } catch { }
}
