/**
 * Device configurations for the on-premises side of a managed VPN's sites: the renderers by format, and
 * what `hybridnet device-config` reads a plan with. A format whose renderer has not landed yet is listed
 * (so the command knows the name) and answers with a clear "not available". Pure: no Pulumi import.
 */
import { renderCiscoIosXe } from "./ciscoIosXe";
import { renderJuniperSrx } from "./juniperSrx";
import {
  DeviceConfigFormat,
  type DeviceConfigRenderer,
  type DeviceSite,
  type RenderedDeviceConfig,
} from "./site";

export * from "./fromResources";
export * from "./site";
export { DeviceConfigError } from "./vendor";

/** The renderer of each format; `undefined` for a format whose renderer is not available yet. */
export const DEVICE_CONFIG_RENDERERS: Record<DeviceConfigFormat, DeviceConfigRenderer | undefined> = {
  [DeviceConfigFormat.Strongswan]: undefined,
  [DeviceConfigFormat.CiscoIosXe]: renderCiscoIosXe,
  [DeviceConfigFormat.JuniperSrx]: renderJuniperSrx,
};

/** Every format `hybridnet device-config --format` names. */
export const DEVICE_CONFIG_FORMATS: readonly DeviceConfigFormat[] = Object.values(DeviceConfigFormat);

/** A format that is known but has no renderer in this build. */
export class FormatNotAvailableError extends Error {
  constructor(readonly format: DeviceConfigFormat) {
    super(
      `device configuration format "${format}" is not available in this build; available: ${availableFormats().join(", ")}`,
    );
    this.name = "FormatNotAvailableError";
  }
}

/** The formats that have a renderer. */
export function availableFormats(): DeviceConfigFormat[] {
  return DEVICE_CONFIG_FORMATS.filter((f) => DEVICE_CONFIG_RENDERERS[f] !== undefined);
}

/** Renders `site` in `format`; throws FormatNotAvailableError, or the renderer's DeviceConfigError. */
export function renderDeviceConfig(site: DeviceSite, format: DeviceConfigFormat): RenderedDeviceConfig {
  const renderer = DEVICE_CONFIG_RENDERERS[format];
  if (!renderer) throw new FormatNotAvailableError(format);
  return renderer(site);
}
