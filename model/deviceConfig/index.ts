/**
 * Device configurations for the on-premises side of a managed VPN's sites: the renderers by format, and
 * what `hybridnet device-config` reads a plan with. Pure: no Pulumi import.
 */
import { renderCiscoIosXe } from "./ciscoIosXe";
import { renderJuniperSrx } from "./juniperSrx";
import {
  DeviceConfigFormat,
  type DeviceConfigRenderer,
  type DeviceSite,
  type RenderedDeviceConfig,
} from "./site";
import { renderStrongswan } from "./strongswan";

export * from "./fromResources";
export * from "./site";
export { DeviceConfigError } from "./vendor";

/** The renderer of each format. */
export const DEVICE_CONFIG_RENDERERS: Record<DeviceConfigFormat, DeviceConfigRenderer> = {
  [DeviceConfigFormat.Strongswan]: renderStrongswan,
  [DeviceConfigFormat.CiscoIosXe]: renderCiscoIosXe,
  [DeviceConfigFormat.JuniperSrx]: renderJuniperSrx,
};

/** Every format `hybridnet device-config --format` names. */
export const DEVICE_CONFIG_FORMATS: readonly DeviceConfigFormat[] = Object.values(DeviceConfigFormat);

/** Renders `site` in `format`; throws the renderer's DeviceConfigError or ValidationError. */
export function renderDeviceConfig(site: DeviceSite, format: DeviceConfigFormat): RenderedDeviceConfig {
  return DEVICE_CONFIG_RENDERERS[format](site);
}
