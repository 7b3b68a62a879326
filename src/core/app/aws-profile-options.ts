import type { AwsProfileOption } from '../../shared/create-catalog.js';
import type { AwsProfile } from '../credentials/aws-profiles.js';
import { boxAwsConfigFromProfiles } from '../provision/box-aws-config.js';
import { toContractError } from './contract-error.js';

/**
 * The desktop's IAM Identity Center profiles as the create wizard offers
 * them. Whether one is usable is asked of the same function that builds the
 * workspace's configuration, so the wizard never offers what the create
 * would refuse; profiles that do not sign in with IAM Identity Center are
 * left out (a workspace cannot use them without copying keys).
 */
export function awsProfileOptions(desktop: readonly AwsProfile[]): AwsProfileOption[] {
  return desktop.flatMap((profile): AwsProfileOption[] => {
    const kind = profile.kind;
    if (kind?.type !== 'sso') return [];
    const option: AwsProfileOption = {
      name: profile.name,
      ...(kind.accountId ? { accountId: kind.accountId } : {}),
      ...(kind.roleName ? { roleName: kind.roleName } : {}),
      ...(profile.region ? { region: profile.region } : {}),
    };
    try {
      boxAwsConfigFromProfiles([profile.name], desktop);
      return [option];
    } catch (error) {
      const { message, fix } = toContractError(error);
      return [{ ...option, problem: fix ? { message, fix } : { message } }];
    }
  });
}
